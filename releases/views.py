"""Public release pages. Thin: every queryset starts from ``published()``."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from releases.models import PressRelease


def release_list(request: HttpRequest) -> HttpResponse:
    releases = PressRelease.objects.published().for_listing()
    page = Paginator(releases, settings.NEWSROOM_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "releases/release_list.html", {"page_obj": page})


def release_detail(request: HttpRequest, slug: str) -> HttpResponse:
    release = get_object_or_404(PressRelease.objects.published().for_detail(), slug=slug)
    return render(request, "releases/release_detail.html", {"release": release})

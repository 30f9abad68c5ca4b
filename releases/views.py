"""Public release pages. Thin: every queryset starts from ``published()``."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from releases.models import PressRelease


def release_list(request: HttpRequest) -> HttpResponse:
    releases = PressRelease.objects.published().for_listing()
    page = Paginator(releases, settings.NEWSROOM_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "releases/release_list.html", {"page_obj": page})


def release_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # viewable(): published, or withdrawn (kept at its URL with a notice,
    # templates/releases/_withdrawn_notice.html); removed answers 410 Gone.
    release = PressRelease.objects.viewable().for_detail().filter(slug=slug).first()
    if release is None:
        if PressRelease.objects.filter(slug=slug, status=PressRelease.Status.REMOVED).exists():
            return render(request, "releases/release_gone.html", status=410)
        raise Http404("No release at this address.")
    return render(request, "releases/release_detail.html", {"release": release})

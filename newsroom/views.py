"""Site-wide views."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from releases.models import PressRelease


def home(request: HttpRequest) -> HttpResponse:
    latest = PressRelease.objects.published().for_listing()[:10]
    return render(request, "home.html", {"releases": latest})

"""A URLconf for the 503 tests: the site's own, plus views whose database
connection fails the ways a restarting primary makes it fail."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as site_patterns

handler500 = "newsroom.errors.server_error"


def dropped(request: HttpRequest) -> HttpResponse:
    raise OperationalError("server closed the connection unexpectedly")


def closed(request: HttpRequest) -> HttpResponse:
    raise InterfaceError("connection already closed")


def broken(request: HttpRequest) -> HttpResponse:
    raise ValueError("a real bug")


urlpatterns = [
    path("test-dropped/", dropped),
    path("test-closed/", closed),
    path("test-broken/", broken),
    *site_patterns,
]

"""Journalists' pages are private: never stored by a browser or a shared cache, never indexed.

Everything under ``/account/`` (allauth: sign-in, sign-up, two-factor…)
and ``/journalists/`` carries ``Cache-Control: private, no-store`` and
``X-Robots-Tag: noindex``, whatever the view set.  The public page cache
(``newsroom.caching``) leaves these paths alone too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from core.i18n import strip_prefix

PRIVATE_PREFIXES = ("/account/", "/journalists/")


class PrivatePagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if strip_prefix(request.path).startswith(PRIVATE_PREFIXES):
            response["Cache-Control"] = "private, no-store"
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response

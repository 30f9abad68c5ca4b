"""Branded error pages that never leak internals.

Wired in ``newsroom/urls.py`` (``handler400`` ... ``handler500``) and, for
CSRF failures, by ``settings.CSRF_FAILURE_VIEW``.  The pages never show the
exception text: a ``PermissionDenied`` or ``Http404`` message may name
internal objects, and with DEBUG off the public must see nothing of it.

The 500 page is rendered *without* a request context: when the server is
failing, the database or a context processor may be what failed, so it uses
only the template and two settings.  If even that fails, a static fallback
page is returned so the handler itself never raises.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

_FALLBACK = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>{title}</title></head><body><h1>{title}</h1><p>{text}</p>"
    '<p><a href="/">Go to the newsroom home page</a></p></body></html>'
)


def _render(
    request: HttpRequest,
    template_name: str,
    response_class: type[HttpResponse],
    title: str,
    context: dict | None = None,
) -> HttpResponse:
    """Render a branded page; fall back to static HTML if rendering fails
    (an error page must not raise a second error)."""
    # No other-language version of an error: the switcher offers each
    # edition's home, and no hreflang claims this address exists elsewhere
    # (nor echoes an unpublished address into a link: newsroom.context_processors).
    request.error_page = True
    try:
        body = loader.render_to_string(template_name, context or {}, request=request)
    except Exception:  # the page is already an error: log, then degrade
        logger.exception("Could not render %s", template_name)
        body = _FALLBACK.format(title=title, text="Sorry, something went wrong.")
    return response_class(body)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: a request the site cannot understand (bad host, malformed data)."""
    return _render(request, "400.html", HttpResponseBadRequest, "Bad request")


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: the visitor may not see this page."""
    return _render(request, "403.html", HttpResponseForbidden, "Access denied")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a failed CSRF check: most often a form left open too long or
    cookies blocked.  Say so, instead of Django's technical page."""
    return _render(
        request, "403.html", HttpResponseForbidden, "Access denied", {"csrf_failure": True}
    )


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: no such page (or not public yet: an embargoed release is a 404).

    ``newsroom.middleware.NoStoreErrorsMiddleware`` marks it ``no-store``, so
    no cache keeps an embargoed page's 404 past its instant.
    """
    return _render(request, "404.html", HttpResponseNotFound, "Page not found")


def server_error(request: HttpRequest | None = None) -> HttpResponse:
    """500: rendered from the template alone, with no request context.

    A dropped database connection (the primary restarted or failed over) is
    not a bug but a moment's outage: Django calls this handler inside the
    ``except`` that caught it, so the exception is at hand, and the answer
    is a 503 "try again" page with ``Retry-After`` instead.  The request's
    transaction was rolled back, so nothing it did was saved; the next
    request gets a fresh connection (``CONN_HEALTH_CHECKS``).
    """
    context = {"SITE_NAME": settings.NEWSROOM_SITE_NAME}
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(context)
    try:
        body = loader.get_template("500.html").render(context)
    except Exception:
        logger.exception("Could not render 500.html")
        body = _FALLBACK.format(
            title="Server error",
            text="Sorry, something went wrong on our side. Please try again in a few minutes.",
        )
    return HttpResponseServerError(body)


DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable(context: dict | None = None) -> HttpResponse:
    """503 with ``Retry-After``: the database could not be reached or the
    connection dropped mid-request; never stored by a cache."""
    context = context or {"SITE_NAME": settings.NEWSROOM_SITE_NAME}
    try:
        body = loader.get_template("503.html").render(context)
    except Exception:
        logger.exception("Could not render 503.html")
        body = _FALLBACK.format(
            title="Please try again",
            text="The newsroom lost its database connection for a moment. "
            "Please try again in a few seconds.",
        )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "5"
    response["Cache-Control"] = "no-store"
    return response


def lockout(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """429 from django-axes (``AXES_LOCKOUT_CALLABLE``) after too many failed
    sign-ins: a page in plain words, with the wait in minutes.  It says
    whether one account or the whole address is paused
    (``newsroom.auth_backends.AddressThrottlingHandler`` marks the latter)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    whole_address = getattr(request, "newsroom_address_locked", False)
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT if whole_address else settings.AXES_FAILURE_LIMIT
    response = _render(
        request,
        "lockout.html",
        HttpResponse,
        "Sign-in paused",
        {"failure_limit": limit, "cooloff_minutes": minutes, "whole_address": whole_address},
    )
    response.status_code = 429
    return response

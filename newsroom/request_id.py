"""One id per request, on the response and on every log record it causes.

The proxy in front (or a client) may send ``X-Request-ID``; it is kept when
it is a short token of safe characters, so one id follows a request from the
proxy's log through every app node's log.  Anything else (too long, spaces,
control characters that could forge log lines) is replaced by a fresh one.
The id lives in a context variable, so threads and async tasks each see
their own, and :class:`RequestIdFilter` copies it onto every record.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_VALID = re.compile(r"[A-Za-z0-9._:@-]{8,128}")
_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def current_request_id() -> str:
    """The id of the request being served here, or "" outside one."""
    return _current.get()


def accepted(value: str | None) -> str | None:
    """``value`` if it may be used as a request id as it is, else None."""
    if value and _VALID.fullmatch(value):
        return value
    return None


class RequestIdMiddleware:
    """Early in the chain, after security and static files: all the request logs carries the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = accepted(request.headers.get(HEADER)) or uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        # Not reset on the way out: Django logs a 4xx/5xx (django.request)
        # after the last middleware returned; the id is cleared when the
        # response is finished instead (request_finished, below).
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def _clear(**kwargs: object) -> None:
    _current.set("")


request_finished.connect(_clear, dispatch_uid="newsroom.request_id.clear")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to each record ("-" outside a request), for any formatter."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = _current.get() or "-"
        return True

"""Query-string parsing for the API: every bad value is a 400 with a message.

Aggregators build these URLs by program; a clear error naming the parameter
and the expected form saves an e-mail exchange, and a 500 would look like an
outage on our side.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from api.http import ApiError
from core.params import filter_spelling
from core.urls import absolute_url

MAX_PAGE_SIZE = 100
#: A "+05:00" offset typed unencoded in a URL arrives as " 05:00".
_LOST_PLUS = re.compile(r" (\d{2}(?::?\d{2})?)$")
_SLUG = re.compile(r"^[-\w]+$")


def _bad(name: str, message: str) -> ApiError:
    return ApiError(400, "invalid_parameter", f"Parameter “{name}”: {message}")


def get_int(
    request: HttpRequest, name: str, default: int, *, minimum: int = 1, maximum: int | None = None
) -> int:
    """A whole number between ``minimum`` and ``maximum`` (inclusive)."""
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _bad(name, f"“{raw}” is not a whole number.") from None
    if value < minimum:
        raise _bad(name, f"must be {minimum} or more.")
    if maximum is not None and value > maximum:
        raise _bad(name, f"must be {maximum} or less.")
    return value


def get_slug(request: HttpRequest, name: str) -> str | None:
    """A slug filter, under any of its spellings (``core.params``: the
    site's ``org`` is ``organisation``); an error names the one sent."""
    name = filter_spelling(request.GET, name)
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return None
    if not _SLUG.match(raw) or len(raw) > 300:
        raise _bad(name, f"“{raw[:50]}” is not a slug (letters, digits, hyphens).")
    return raw


def get_datetime(request: HttpRequest, name: str) -> datetime.datetime | None:
    """An ISO 8601 datetime, or a date meaning its first instant.

    Times without an offset, and dates, are read in the newsroom's time zone
    (``TIME_ZONE``): "2023-10-18" is midnight in Islamabad, as a reader of the
    newsroom understands the date printed on a release.
    """
    raw = request.GET.get(name)
    if raw is None or raw.strip() == "":
        return None
    text = _LOST_PLUS.sub(r"+\1", raw.strip())
    try:
        # Django's parser also accepts a bare date, as midnight.
        value = parse_datetime(text)
    except ValueError:
        value = None
    if value is None:
        raise _bad(
            name,
            f"“{raw[:50]}” is not an ISO 8601 date or datetime "
            "(e.g. 2023-10-18 or 2023-10-18T09:00:00+05:00).",
        )
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value, timezone.get_default_timezone())
        # The database compares in UTC; year 1 or 9999 may not survive that.
        value.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        raise _bad(name, f"“{raw[:50]}” is out of range.") from None
    return value


@dataclass
class Page:
    """One page of a list, with the envelope fields every list answer carries."""

    items: list[Any]
    count: int
    number: int
    size: int
    next: str | None
    previous: str | None

    def envelope(self, results: list[Any]) -> dict[str, Any]:
        return {
            "count": self.count,
            "page": self.number,
            "page_size": self.size,
            "next": self.next,
            "previous": self.previous,
            "results": results,
        }


def _page_link(request: HttpRequest, number: int) -> str:
    params = request.GET.copy()
    params["page"] = str(number)
    query = urlencode(sorted(params.lists()), doseq=True)
    return absolute_url(f"{request.path}?{query}")


def paginate(request: HttpRequest, queryset: QuerySet, count: int | None = None) -> Page:
    """Slice ``queryset`` by ``page``/``page_size``: one COUNT and one SELECT
    (plus the queryset's prefetches), whatever the page size.

    The queryset must already have a total order (ending with ``id``) so that
    pages do not overlap or skip rows between requests.  A caller that
    already knows the number of rows passes ``count`` (no COUNT query).
    """
    size = get_int(request, "page_size", settings.NEWSROOM_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
    number = get_int(request, "page", 1)
    if count is None:
        count = queryset.count()
    last = max(1, -(-count // size))
    if number > last:
        raise ApiError(
            404, "page_not_found", f"Page {number} does not exist; the last page is {last}."
        )
    offset = (number - 1) * size
    items = list(queryset[offset : offset + size])
    return Page(
        items=items,
        count=count,
        number=number,
        size=size,
        next=_page_link(request, number + 1) if number < last else None,
        previous=_page_link(request, number - 1) if number > 1 else None,
    )

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
from django.db.models.expressions import RawSQL
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from api.http import ApiError
from core.i18n import html_lang, language_codes
from core.params import filter_spelling
from core.urls import absolute_url

MAX_PAGE_SIZE = 100
#: A "+05:00" offset typed unencoded in a URL arrives as " 05:00".
_LOST_PLUS = re.compile(r" (\d{2}(?::?\d{2})?)$")

# The patterns below are both the parser's test and the OpenAPI document's
# ``pattern`` (api.openapi imports them), so the two cannot drift apart.
# Both admit the empty value: a blank filter (``?organisation=``, left by a
# form) means no filter, as on the site's own lists.

#: A slug filter: ASCII letters, digits, "-" and "_", or any character
#: beyond ASCII (a tag's slug keeps "Balochistán", and Urdu tags are Urdu);
#: never a space, a control character or ASCII punctuation. Written with
#: escapes only, so that Python's ``re`` and the ECMA-262 regexes of JSON
#: Schema read it the same.
SLUG_PATTERN = r"^[^\s\x00-\x2C\x2E\x2F\x3A-\x40\x5B-\x5E\x60\x7B-\x9F]*$"
#: A slug in a path, as Django's ``<slug:…>`` converter matches it.
PATH_SLUG_PATTERN = r"^[-A-Za-z0-9_]+$"
#: An ISO 8601 date, or a date and time with an optional offset ("Z",
#: "+05:00", "+0500", or " 05:00" when the "+" arrived unencoded).
#: The calendar is in the pattern (no 31 April, 29 February only in a leap
#: year), so a date the document admits is one the parser can read.
_YEAR = r"(?!0000)\d{4}"
_MONTH_DAY = (
    r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)"
    r"|02-(?:0[1-9]|1\d|2[0-8]))"
)
_LEAP_DAY = r"(?:\d{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29"
_CLOCK = r"(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?"
_OFFSET = r"(?:Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?| (?:[01]\d|2[0-3])(?::?[0-5]\d)?)"
INSTANT_PATTERN = rf"^(?:(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_DAY})(?:[T ]{_CLOCK}{_OFFSET}?)?)?$"
# fullmatch, not match: in Python "$" also matches before a final "\n".
_SLUG = re.compile(SLUG_PATTERN)
#: Digits only (no spaces, no "+"), as JSON Schema's integer reads them.
_WHOLE_NUMBER = re.compile(r"^-?[0-9]{1,100}$")
#: The highest page number asked for that is not refused outright (a page
#: past the last is the documented 404; beyond this, a 400).
MAX_PAGE = 1_000_000
_INSTANT = re.compile(INSTANT_PATTERN)
MAX_SLUG_LENGTH = 300


def _bad(name: str, message: str) -> ApiError:
    return ApiError(400, "invalid_parameter", f"Parameter “{name}”: {message}")


def _one(request: HttpRequest, name: str) -> str | None:
    """The value of ``name``, refusing it given twice (``?page=1&page=2``):
    which one we would read is a guess the client should not depend on."""
    values = request.GET.getlist(name)
    if len(values) > 1:
        raise _bad(name, "given more than once; give it once.")
    return values[0] if values else None


def get_int(
    request: HttpRequest, name: str, default: int, *, minimum: int = 1, maximum: int | None = None
) -> int:
    """A whole number between ``minimum`` and ``maximum`` (inclusive).

    Present but empty (``?page_size=``) is refused like any other non-number:
    the document says integer, and a silent default would hide a client's bug.
    """
    raw = _one(request, name)
    if raw is None:
        return default
    if not _WHOLE_NUMBER.fullmatch(raw):
        raise _bad(name, f"“{raw[:50]}” is not a whole number.")
    value = int(raw)
    if value < minimum:
        raise _bad(name, f"must be {minimum} or more.")
    if maximum is not None and value > maximum:
        raise _bad(name, f"must be {maximum} or less.")
    return value


def get_slug(request: HttpRequest, name: str) -> str | None:
    """A slug filter, under any of its spellings (``core.params``: the
    site's ``org`` is ``organisation``); an error names the one sent."""
    name = filter_spelling(request.GET, name)
    raw = _one(request, name)
    if raw is None or raw == "":
        return None
    if not _SLUG.fullmatch(raw) or len(raw) > MAX_SLUG_LENGTH:
        raise _bad(name, f"“{raw[:50]}” is not a slug (letters, digits, hyphens).")
    return raw


def language_filter_values() -> list[str]:
    """What ``?language=`` accepts: each language as the API prints it
    (``en-GB``, ``ur``); read case-insensitively."""
    return [html_lang(code) for code in language_codes()]


def get_language_filter(request: HttpRequest, name: str = "language") -> str | None:
    """The language code (as stored: ``en-gb``, ``ur``) asked for, or ``None``;
    a language the newsroom does not publish in is a 400 that lists those it does."""
    raw = _one(request, name)
    if raw is None or raw == "":
        return None
    by_tag = {html_lang(code).lower(): code for code in language_codes()}
    code = by_tag.get(raw.strip().lower().replace("_", "-"))
    if code is None:
        choices = ", ".join(language_filter_values())
        raise _bad(name, f"“{raw[:20]}” is not a language of this newsroom ({choices}).")
    return code


def get_datetime(request: HttpRequest, name: str) -> datetime.datetime | None:
    """An ISO 8601 datetime, or a date meaning its first instant.

    Times without an offset, and dates, are read in the newsroom's time zone
    (``TIME_ZONE``): "2023-10-18" is midnight in Islamabad, as a reader of the
    newsroom understands the date printed on a release.
    """
    raw = _one(request, name)
    if raw is None or raw == "":
        return None
    value = None
    if _INSTANT.fullmatch(raw):
        text = _LOST_PLUS.sub(r"+\1", raw)
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
        # At the ends of the calendar: as early (or late) as can be compared,
        # which is what "after year 1" (or "before year 9999") asks.
        edge = datetime.datetime.min if value.year < 5000 else datetime.datetime.max
        return edge.replace(tzinfo=datetime.UTC)
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
    """Slice ``queryset`` by ``page``/``page_size``: one SELECT carrying the
    total (plus the queryset's prefetches), whatever the page size.

    The queryset must already have a total order (ending with ``id``) so that
    pages do not overlap or skip rows between requests.  A caller that
    already knows the number of rows passes ``count`` (no COUNT query).
    """
    size = get_int(request, "page_size", settings.NEWSROOM_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
    number = get_int(request, "page", 1, maximum=MAX_PAGE)
    offset = (number - 1) * size
    items: list[Any] | None = None
    if count is None:
        # The total rides on the page's own rows as an uncorrelated scalar
        # sub-select (run once, from the index; a COUNT(*) OVER () window
        # would read every row of the list): one query, not a COUNT and a
        # SELECT.  Only a page past the end, with no row to carry it, asks
        # COUNT to name the last page.
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        counted = f"SELECT COUNT(*) FROM ({sql}) counted"  # noqa: S608 - ORM SQL
        total = RawSQL(counted, params)  # noqa: S611 - ORM SQL
        items = list(queryset.annotate(_total_rows=total)[offset : offset + size])
        count = items[0]._total_rows if items else queryset.count()
    last = max(1, -(-count // size))
    if number > last:
        raise ApiError(
            404, "page_not_found", f"Page {number} does not exist; the last page is {last}."
        )
    if items is None:
        items = list(queryset[offset : offset + size])
    return Page(
        items=items,
        count=count,
        number=number,
        size=size,
        next=_page_link(request, number + 1) if number < last else None,
        previous=_page_link(request, number - 1) if number > 1 else None,
    )

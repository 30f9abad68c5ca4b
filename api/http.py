"""HTTP plumbing shared by every API endpoint: JSON errors, CORS, caching.

Aggregators poll this API on a schedule, so every answer carries an ETag
(a hash of the exact body) and a Last-Modified date, and a conditional GET
gets a bodiless 304.  The ETag is computed from the body because it is the
only validator that cannot go stale: a contact edited, a release withdrawn or
an embargo lifting all change the body.  Last-Modified is deliberately
conservative (see :func:`content_freshness`): it may move when nothing a
client sees changed, never the other way round.  ``max-age`` follows the
site's rule (``core.http.public_max_age``): no shared cache keeps an answer
that lists releases past the next embargo instant, and the header does not
tell the instant.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from contacts.models import MediaContact, Organisation, Partnership
from core.http import as_datetime, last_change_query, public_cache_exempt, public_max_age
from core.memo import memo_cache
from releases.models import PressRelease

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
JSON_CONTENT_TYPE = "application/json"


class ApiError(Exception):
    """Raised anywhere below a view to answer with a JSON error instead of a 500."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _dumps(data: Any) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode("utf-8")


def error_response(status: int, code: str, message: str) -> HttpResponse:
    """``{"error": {"code": ..., "message": ...}}`` — the one error shape of the API.

    Errors are never cached: a 404 for an embargoed release must not outlive
    the embargo in a proxy.
    """
    response = HttpResponse(
        _dumps({"error": {"code": code, "message": message}}),
        status=status,
        content_type=JSON_CONTENT_TYPE,
    )
    response["Cache-Control"] = "no-store"
    return response


@dataclass(frozen=True)
class Freshness:
    """What the validators and the lifetime of an answer are made of."""

    last_modified: datetime.datetime | None
    #: The next embargo instant, when the answer lists releases.
    next_embargo_at: datetime.datetime | None = None
    #: The number of rows of a list's queryset, when asked for.
    count: int | None = None

    def max_age(self, now: datetime.datetime) -> int:
        return public_max_age(now, self.next_embargo_at, settings.NEWSROOM_CACHE_MAX_AGE)


def json_response(request: HttpRequest, data: Any, freshness: Freshness) -> HttpResponse:
    """Serialise ``data`` and answer 304 when the client's copy is current.

    RFC 9110 precedence applies (Django's ``get_conditional_response``):
    If-None-Match wins over If-Modified-Since when both are sent.  A 304
    carries the same ``Cache-Control`` as the 200 (it refreshes a cached copy).
    """
    body = _dumps(data)
    return _answer(request, body, _etag(body), freshness)


def _etag(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:40]}"'


def remembered_json_response(
    request: HttpRequest, freshness: Freshness, build: Callable[[], Any]
) -> HttpResponse:
    """:func:`json_response` of ``build()``, built once per freshness.

    The body's bytes and ETag are kept in the memo cache under the request's
    path and query and the answer's ``Last-Modified`` instant: every change
    a client could see moves that instant (see :func:`content_freshness`:
    the content version's date, each source's newest edit, the newest public
    ``publish_at`` for an embargo lifting), so the key moves with it.  Until
    then a request costs the freshness query and a cache read, and a
    conditional GET is answered 304 without building the body.  The ETag is
    still the hash of the body, the same whether it was built now or before.
    """
    stamp = freshness.last_modified.isoformat() if freshness.last_modified else "-"
    name = f"{stamp}|{request.get_full_path()}"
    key = "newsroom:api:" + hashlib.blake2b(name.encode(), digest_size=16).hexdigest()
    cache = memo_cache()
    kept = cache.get(key)
    if kept is None:
        body = _dumps(build())
        kept = (body, _etag(body))
        cache.set(key, kept, timeout=3600)
    body, etag = kept
    return _answer(request, body, etag, freshness)


def _answer(request: HttpRequest, body: bytes, etag: str, freshness: Freshness) -> HttpResponse:
    response = HttpResponse(body, content_type=JSON_CONTENT_TYPE)
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={freshness.max_age(timezone.now())}"
    last_modified = freshness.last_modified
    timestamp = int(last_modified.timestamp()) if last_modified else None
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)


def _add_cors(response: HttpResponse) -> HttpResponse:
    # Read-only, public data and no credentials: any origin may read it.
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    return response


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response["Access-Control-Allow-Headers"] = (
        "Accept, Accept-Language, If-None-Match, If-Modified-Since"
    )
    response["Access-Control-Max-Age"] = "86400"
    response["Allow"] = ALLOWED_METHODS
    return response


def api_endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a read-only view: OPTIONS preflight, JSON 405/404/400, CORS on everything.

    CSRF is exempt because nothing here changes state; without the exemption a
    POST would get Django's HTML 403 instead of the API's JSON 405.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response = _preflight()
        elif request.method not in {"GET", "HEAD"}:
            response = error_response(
                405,
                "method_not_allowed",
                f"{request.method} is not allowed: this API is read-only. Use GET.",
            )
            response["Allow"] = ALLOWED_METHODS
        else:
            try:
                response = view(request, *args, **kwargs)
            except ApiError as exc:
                response = error_response(exc.status, exc.code, exc.message)
            except Http404:
                response = error_response(404, "not_found", "Nothing public exists at this URL.")
        return _add_cors(response)

    # The API sets its own validators (ETag, Last-Modified): the site-wide
    # cache middleware leaves it alone.
    return public_cache_exempt(csrf_exempt(wrapper))


# Freshness -------------------------------------------------------------------

RELEASES = "releases"
ORGANISATIONS = "organisations"
CONTACTS = "contacts"
PARTNERSHIPS = "partnerships"


def content_freshness(sources: Iterable[str], *, count: QuerySet | None = None) -> Freshness:
    """The latest change to anything an endpoint may show, over whole tables,
    and (when releases are among ``sources``) the next embargo instant.

    Taken over whole tables rather than over the rows of one answer, because a
    row *leaving* an answer (a release withdrawn, a contact made internal)
    leaves no trace among the rows that remain.  A row *deleted* leaves no
    trace in any table, hence the project's last public change
    (``core.http.last_change_query``: the content version's date, moved by
    every change the public can see) is counted too.  An embargo lifting
    changes no row at all, hence ``publish_at`` of public releases.

    All sources are read in ONE query (a scalar sub-select each, every one
    answered from an index), whatever their number.  With ``count=`` (a
    list's queryset) the number of its rows is read in the same round trip:
    a list answer then needs no separate COUNT query.
    """
    now = timezone.now()
    sources = frozenset(sources)
    if count is None:
        sql, params, stamped = _compiled_freshness(sources, now)
    else:
        parts, stamped = _freshness_parts(sources, now)
        selects, params = _sub_selects(parts)
        part_sql, part_params = count.order_by().values("pk").query.sql_with_params()
        selects.append(f"(SELECT COUNT(*) FROM ({part_sql}) counted)")  # noqa: S608 - ORM SQL
        params.extend(part_params)
        sql = "SELECT " + ", ".join(selects)
    row: tuple = ()
    if sql:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    stamps = [as_datetime(value) for value in row[:stamped]]
    present = [stamp for stamp in stamps if stamp is not None]
    return Freshness(
        last_modified=max(present) if present else None,
        next_embargo_at=as_datetime(row[stamped]) if RELEASES in sources else None,
        count=int(row[-1]) if count is not None else None,
    )


def _freshness_parts(sources: frozenset[str], now: datetime.datetime) -> tuple[list[QuerySet], int]:
    """The one-value sub-selects of :func:`content_freshness`, and how many
    of them are dates of change (the next embargo instant follows them)."""
    parts: list[QuerySet] = []
    if RELEASES in sources:
        # Only releases that have been public: editing a draft moves nothing.
        parts.append(
            _latest(PressRelease.objects.filter(first_published_at__lte=now), "modified_at")
        )
        parts.append(_latest(PressRelease.objects.published(now), "publish_at"))
    for source, model in (
        (ORGANISATIONS, Organisation),
        (CONTACTS, MediaContact),
        (PARTNERSHIPS, Partnership),
    ):
        if source in sources:
            parts.append(_latest(model.objects.all(), "updated_at"))
    if (last_change := last_change_query()) is not None:
        parts.append(last_change)
    stamped = len(parts)
    if RELEASES in sources:
        # The answer changes at the next embargo instant: its lifetime must not.
        parts.append(
            PressRelease.objects.scheduled(now).order_by("publish_at").values("publish_at")[:1]
        )
    return parts, stamped


def _sub_selects(parts: list[QuerySet]) -> tuple[list[str], list]:
    """Each one-value queryset as a parenthesised sub-select, and the
    parameters of them all, in order: the columns of one ``SELECT``."""
    selects, params = [], []
    for part in parts:
        part_sql, part_params = part.query.sql_with_params()
        selects.append(f"({part_sql})")
        params.extend(part_params)
    return selects, params


#: The instant the freshness SQL is compiled with, to find where ``now`` goes.
_COMPILE_NOW = datetime.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC)
_FRESHNESS_SQL: dict[tuple, tuple[str, list, list[tuple[int, bool]], int]] = {}


def _compiled_freshness(sources: frozenset[str], now: datetime.datetime) -> tuple[str, list, int]:
    """The freshness query's SQL and parameters for ``now``.

    Composing seven sub-selects and compiling them was most of a warm API
    answer (about 70 % of the list's time in a profile, the database's part
    a fifth of it), and only ``now`` differs between two requests.  So the
    SQL is compiled once per set of sources and database, with a stand-in
    instant, and each call puts ``now`` where the stand-in was (as the
    backend adapts it: a datetime for PostgreSQL, text for SQLite).
    """
    key = (sources, connection.alias, connection.vendor, last_change_query() is not None)
    if (kept := _FRESHNESS_SQL.get(key)) is None:
        parts, stamped = _freshness_parts(sources, _COMPILE_NOW)
        selects, params = _sub_selects(parts)
        adapted = connection.ops.adapt_datetimefield_value(_COMPILE_NOW)
        slots = [
            (position, param != _COMPILE_NOW)
            for position, param in enumerate(params)
            if param in (_COMPILE_NOW, adapted)
        ]
        kept = ("SELECT " + ", ".join(selects) if selects else "", params, slots, stamped)
        _FRESHNESS_SQL[key] = kept
    sql, params, slots, stamped = kept
    params = list(params)
    adapted_now = None
    for position, is_adapted in slots:
        if is_adapted:
            if adapted_now is None:
                adapted_now = connection.ops.adapt_datetimefield_value(now)
            params[position] = adapted_now
        else:
            params[position] = now
    return sql, params, stamped


def _latest(qs: QuerySet, field: str) -> QuerySet:
    """The newest non-null ``field`` of ``qs`` as a one-value sub-select
    (``MAX`` ignores NULLs; so does this)."""
    return qs.filter(**{f"{field}__isnull": False}).order_by(f"-{field}").values(field)[:1]

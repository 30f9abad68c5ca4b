"""HTTP caching for public pages that can never outlive an embargo.

A burst of journalists on one story should be answered from a cache, but a
cache must never keep a page alive after the newsroom changed, and never hide
a release past its embargo instant.  Both are decided by one cheap question
asked on every public request (:func:`content_state`, one SQL query using
two indexes): the content version (moved by every change the public can see,
see ``newsroom.signals``), the newest public release and the next embargo
instant still in the future.

The ETag is derived from the *state token*, so a conditional GET is answered
with 304 before any view runs; the optional shared page cache (Redis,
``REDIS_URL``) keys rendered pages on it, so a publish, correction or
withdrawal invalidates every cached page at once; and ``Cache-Control:
max-age`` follows ``core.http.public_max_age``: the full lifetime, or 0 when
an embargo instant is near, so a shared cache (CDN, proxy) cannot serve a
page that omits a release for longer than ``NEWSROOM_CACHE_MAX_AGE`` after a
change, nor past the instant a scheduled release goes public — and the
header does not say when that is.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import format_datetime
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from core.http import as_datetime, public_max_age
from core.i18n import strip_prefix
from newsroom.models import ContentVersion
from releases.models import PressRelease

T = TypeVar("T")

# /account/ and /journalists/: journalists' private pages (journalists.middleware).
EXCLUDED_PREFIXES = (
    "/admin/",
    "/static/",
    "/media/",
    "/bench/",
    "/preview/",
    "/account/",
    "/journalists/",
)


@dataclass(frozen=True)
class ContentState:
    version: int
    changed_at: datetime.datetime | None
    last_published_at: datetime.datetime | None
    next_embargo_at: datetime.datetime | None

    @property
    def token(self) -> str:
        """What every ETag, cached page and remembered value is keyed on.

        It moves with every public change (the version) and when an embargo
        lifts: the newest public release is then the one that just went out
        (nothing public can have a later ``publish_at``), so no write is
        needed.  The next embargo instant is deliberately *not* in it:
        scheduling, rescheduling or unscheduling a release changes nothing
        the public sees, and must not move every page's ETag for all to see.
        """
        # changed_at makes the token unique even if a database is reset and
        # its version counter starts again while a shared cache remembers.
        changed = self.changed_at.timestamp() if self.changed_at else 0
        newest = self.last_published_at.isoformat() if self.last_published_at else "-"
        return f"{self.version}:{changed}:{newest}"

    @property
    def last_modified(self) -> datetime.datetime | None:
        stamps = [s for s in (self.changed_at, self.last_published_at) if s is not None]
        return max(stamps) if stamps else None

    def max_age(self, now: datetime.datetime, ceiling: int) -> int:
        """Seconds a shared cache may keep a page: never past the next embargo,
        and never a countdown to it (``core.http.public_max_age``)."""
        return public_max_age(now, self.next_embargo_at, ceiling)

    def seconds_to_embargo(self, now: datetime.datetime) -> float | None:
        """Seconds left before the next embargo instant (None: none is set).

        For the server's own page cache only, whose timeouts nobody outside
        sees: never put it in a header."""
        if self.next_embargo_at is None:
            return None
        return (self.next_embargo_at - now).total_seconds()


def content_state(now: datetime.datetime | None = None) -> ContentState:
    """The state token's parts, in one query (a PK lookup and two index probes).

    The release parts come from ``published()`` and ``scheduled()`` compiled
    to SQL, so the visibility rule is stated in one place only; each
    queryset becomes a scalar sub-select of a single ``SELECT``.
    """
    now = now or timezone.now()
    row = ContentVersion.objects.filter(pk=1)
    parts = [
        row.values("version"),
        row.values("changed_at"),
        PressRelease.objects.published(now).order_by("-publish_at").values("publish_at")[:1],
        PressRelease.objects.scheduled(now).order_by("publish_at").values("publish_at")[:1],
    ]
    selects, params = [], []
    for part in parts:
        sql, part_params = part.query.sql_with_params()
        selects.append(f"({sql})")
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        version, changed_at, last_published, next_embargo = cursor.fetchone()
    return ContentState(
        version=version or 0,
        changed_at=as_datetime(changed_at),
        last_published_at=as_datetime(last_published),
        next_embargo_at=as_datetime(next_embargo),
    )


_memo: tuple[float, ContentState] | None = None
_memo_lock = threading.Lock()


def current_state(now: datetime.datetime) -> ContentState:
    """:func:`content_state`, remembered for ``NEWSROOM_STATE_TTL`` seconds.

    Under a burst every request would otherwise ask the database the same
    question.  The memo is dropped at once when this process writes content
    (:func:`forget_state`, called by :func:`content_changed`) and whenever
    the next embargo instant has been reached, so the only staleness is a
    write made by *another* process, for at most the TTL (1 s by default).
    """
    global _memo
    ttl = settings.NEWSROOM_STATE_TTL
    memo = _memo
    if ttl > 0 and memo is not None:
        taken, state = memo
        embargo_ahead = state.next_embargo_at is None or now < state.next_embargo_at
        if embargo_ahead and time.monotonic() - taken < ttl:
            return state
    state = content_state(now)
    with _memo_lock:
        _memo = (time.monotonic(), state)
    return state


def last_change_query() -> QuerySet:
    """The content version's date as a one-value sub-select: when the public
    last saw a change (deletions included).  Plugged into
    ``core.http.set_last_change_source`` for the API's Last-Modified."""
    return ContentVersion.objects.filter(pk=1).values("changed_at")


def lifetime_ceiling() -> int:
    """The longest ``max-age`` this worker may send: ``NEWSROOM_CACHE_MAX_AGE``
    less ``NEWSROOM_STATE_TTL`` (rounded up).

    A worker answers from a state read up to the TTL ago; meanwhile another
    worker may have scheduled a release.  Taking the TTL off the ceiling
    makes every copy expire no later than one sent with a state read fresh
    at the memo's moment would: the memo adds no exposure.  (No cache rule
    can protect an instant scheduled less than a ceiling ahead: copies sent
    before the schedule are out already, memo or not.)
    """
    ceiling = settings.NEWSROOM_CACHE_MAX_AGE
    ttl = settings.NEWSROOM_STATE_TTL
    return max(0, ceiling - math.ceil(ttl)) if ttl > 0 else ceiling


def content_changed() -> None:
    """Public content may have changed: move the version, drop the memo."""
    ContentVersion.bump()
    forget_state()


def forget_state() -> None:
    """Drop the memo: this process has just changed public content."""
    global _memo
    with _memo_lock:
        _memo = None


def _etag(state: ContentState, request: HttpRequest) -> str:
    key = f"{state.token}|{request.get_full_path()}|{request.headers.get('Accept', '')}"
    return '"' + hashlib.blake2b(key.encode(), digest_size=12).hexdigest() + '"'


def state_token(request: HttpRequest) -> str:
    """The state token of this request: the one the middleware already asked
    for, else the current one.  Plugged into :func:`core.memo.remember`."""
    plan = getattr(request, "_public_cache", None)
    state = plan.state if plan is not None else current_state(timezone.now())
    return state.token


def _page_cache():
    alias = settings.NEWSROOM_PAGE_CACHE
    return caches[alias] if alias else None


@dataclass
class _Plan:
    etag: str
    state: ContentState
    max_age: int
    served: bool = False


class PublicCacheMiddleware:
    """Conditional GET, bounded ``Cache-Control`` and an optional page cache.

    Applies to anonymous GET/HEAD requests outside the admin and previews,
    to views not marked :func:`public_cache_exempt` (file downloads, the API).  It works in
    ``process_view`` so it knows the view, and answers a 304 or a cached
    page before the view runs.  Responses a view already marked (its own
    ``Cache-Control`` or ``ETag``, e.g. previews with ``no-store``) are left
    as they are.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request._public_cache = None
        response = self.get_response(request)
        plan: _Plan | None = request._public_cache
        if plan is None or plan.served:
            return response
        if (
            response.status_code != 200
            or response.streaming
            or response.has_header("Cache-Control")
            or response.has_header("ETag")
            or response.cookies
        ):
            return response
        self._mark(response, plan)
        cache = _page_cache()
        timeout = _page_cache_timeout(plan.state)
        if cache is not None and timeout > 0:
            response["X-Newsroom-Cache"] = "miss"
            cache.set(f"newsroom:page:{plan.etag}", response, timeout=timeout)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        if not self._applies(request) or getattr(view_func, "public_cache_exempt", False):
            return None
        now = timezone.now()
        state = current_state(now)
        plan = _Plan(_etag(state, request), state, state.max_age(now, lifetime_ceiling()))
        request._public_cache = plan
        if plan.etag in _if_none_match(request):
            plan.served = True
            response = HttpResponseNotModified()
            self._mark(response, plan)
            return response
        cache = _page_cache()
        if cache is not None and (cached := cache.get(f"newsroom:page:{plan.etag}")) is not None:
            plan.served = True
            # Today's lifetime, not the one stored with the page: that one
            # was right when the page was rendered, and may reach past an
            # instant that is near now.
            self._mark(cached, plan)
            cached["X-Newsroom-Cache"] = "hit"
            return cached
        return None

    @staticmethod
    def _applies(request: HttpRequest) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        if strip_prefix(request.path).startswith(EXCLUDED_PREFIXES):
            return False
        # Staff with a session may see messages or preview banners: never cache.
        return settings.SESSION_COOKIE_NAME not in request.COOKIES

    @staticmethod
    def _mark(response: HttpResponse, plan: _Plan) -> None:
        response["ETag"] = plan.etag
        if plan.state.last_modified:
            response["Last-Modified"] = format_datetime(plan.state.last_modified, usegmt=True)
        response["Cache-Control"] = f"public, max-age={plan.max_age}"
        patch_vary_headers(response, ["Accept", "Cookie"])


def _page_cache_timeout(state: ContentState) -> int:
    """How long the page cache keeps a page: the ceiling, cut to the second
    at the next embargo instant (the key would change then anyway, but a
    worker with a stale memo could still compute the old key)."""
    ceiling = settings.NEWSROOM_CACHE_MAX_AGE
    left = state.seconds_to_embargo(timezone.now())
    return ceiling if left is None else max(0, min(ceiling, math.floor(left)))


def _if_none_match(request: HttpRequest) -> set[str]:
    header = request.headers.get("If-None-Match", "")
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}

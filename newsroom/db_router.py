"""Read replicas: anonymous public reads go to a replica, everything else to the primary.

Why: the newsroom is read hardest by anonymous visitors (a disaster, an
embargo lifting), and those reads can be served by streaming replicas while
the primary keeps the staff's writes.  Three rules keep it safe:

* **Who may read a replica** is decided once per request by
  :class:`ReplicaRoutingMiddleware` and kept in a context variable that
  :class:`ReplicaRouter` reads: only GET/HEAD, no session cookie (so no
  staff, no signed-in journalist), outside the admin and the accounts
  pages, and not from a client that wrote in the last
  ``NEWSROOM_REPLICA_STICKY_SECONDS`` (a signed cookie set on every unsafe
  request), so a person always reads their own writes.
* **The lag bound**: a replica is used only while its measured lag is below
  ``NEWSROOM_REPLICA_MAX_LAG`` seconds.  The lag is measured at most once a
  second per process (:func:`replica_lag`): 0 when the replica has replayed
  everything the primary has written (replay LSN vs current LSN), else the
  age of the last transaction it replayed.  A replica that cannot be
  reached counts as infinitely late.
* **Content versions**: the public content state (``newsroom.caching``) is
  always read from the primary.  Before a request reads a replica, the
  replica's copy of the content version must be at least the primary's
  (:func:`replica_has_version`); otherwise the request reads the primary.
  So a withdrawal is never served from a lagging replica once the page
  cache and ETags know of it, and a stale page is never stored under the
  new state's key.  An embargo can never show early at all: visibility is
  decided by comparing ``publish_at`` with *now*, whatever copy is read.

With ``DATABASE_REPLICA_URLS`` unset there are no replica aliases and every
query goes to ``default``, exactly as before.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse

from core.i18n import strip_prefix

logger = logging.getLogger(__name__)

#: True while the current request may read a replica.
_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "newsroom_use_replica", default=False
)
#: The replica alias pinned for the current request (one replica a request,
#: so its pages are consistent), or None before the first read.
_pinned: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "newsroom_replica_pinned", default=None
)

STICKY_COOKIE = "newsroom_wrote"
_STICKY_SALT = "newsroom.db_router.sticky"
SAFE_METHODS = ("GET", "HEAD")
#: Seconds between two lag measurements of one replica in one process.
LAG_CHECK_INTERVAL = 1.0


def replica_aliases() -> list[str]:
    """The configured replica aliases (``replica_1`` …), in order."""
    return [alias for alias in connections if alias.startswith("replica_")]


# --- lag ---------------------------------------------------------------------


def _measure_lag(alias: str) -> float:
    """Seconds the replica ``alias`` is behind the primary; 0 when caught up.

    On PostgreSQL: if the replica's replay LSN has reached the primary's
    current WAL LSN nothing is missing, however old its last transaction;
    otherwise the age of the last transaction it replayed is how stale it
    is.  Other engines (a test mirror on SQLite) have no lag.
    """
    replica = connections[alias]
    if replica.vendor != "postgresql":
        return 0.0
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (primary_lsn,) = cursor.fetchone()
    with replica.cursor() as cursor:
        cursor.execute(
            "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() >= %s::pg_lsn, "
            "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())",
            [primary_lsn],
        )
        standby, caught_up, age = cursor.fetchone()
    if not standby or caught_up:  # not a standby: the primary itself (a test mirror)
        return 0.0
    return float(age) if age is not None else float("inf")


_lag_probe: Callable[[str], float] = _measure_lag
_lag_cache: dict[str, tuple[float, float]] = {}
_lag_lock = threading.Lock()


def set_lag_probe(probe: Callable[[str], float] | None) -> None:
    """Replace how lag is measured (tests inject a fake lag); None restores
    the real measurement.  Forgets every cached measurement."""
    global _lag_probe
    _lag_probe = probe or _measure_lag
    with _lag_lock:
        _lag_cache.clear()
        _version_seen.clear()


def replica_lag(alias: str) -> float:
    """The replica's lag in seconds, measured at most once a second per
    process; an unreachable replica is infinitely late (and asked again a
    second later)."""
    now = time.monotonic()
    cached = _lag_cache.get(alias)
    if cached is not None and now - cached[0] < LAG_CHECK_INTERVAL:
        return cached[1]
    try:
        lag = _lag_probe(alias)
    except DatabaseError:
        logger.warning("replica %s unreachable: reads go to the primary", alias)
        _close_quietly(alias)
        lag = float("inf")
    with _lag_lock:
        _lag_cache[alias] = (now, lag)
    return lag


def healthy_replicas() -> list[str]:
    """Replicas whose lag is under ``NEWSROOM_REPLICA_MAX_LAG`` right now."""
    bound = settings.NEWSROOM_REPLICA_MAX_LAG
    return [alias for alias in replica_aliases() if replica_lag(alias) < bound]


# --- content version on the replica ---------------------------------------

_version_seen: dict[str, int] = {}


def _replica_version(alias: str) -> int:
    from newsroom.models import ContentVersion

    row = ContentVersion.objects.using(alias).filter(pk=1).values_list("version", flat=True)
    return next(iter(row), 0)


def replica_has_version(alias: str, version: int) -> bool:
    """Has the replica replayed the content version ``version`` (read on the
    primary)?  A replica only moves forward, so once it has, the answer is
    remembered; until then it is asked (one primary-key read)."""
    if _version_seen.get(alias, -1) >= version:
        return True
    try:
        seen = _replica_version(alias)
    except DatabaseError:
        mark_unusable(alias)
        return False
    with _lag_lock:
        _version_seen[alias] = max(seen, _version_seen.get(alias, -1))
    return seen >= version


def mark_unusable(alias: str) -> None:
    """Count the replica as infinitely late until its next lag check (a
    second), and drop its connection."""
    with _lag_lock:
        _lag_cache[alias] = (time.monotonic(), float("inf"))
    _close_quietly(alias)


def _close_quietly(alias: str) -> None:
    # A broken connection may fail to close; it is dropped all the same.
    with contextlib.suppress(Exception):
        connections[alias].close()


# --- routing -------------------------------------------------------------------


def reading_replica() -> str | None:
    """The replica this request reads, choosing one on the first read; None
    when the request must read the primary."""
    if not _use_replica.get():
        return None
    alias = _pinned.get()
    if alias is not None:
        return alias
    choices = healthy_replicas()
    if not choices:
        _use_replica.set(False)
        return None
    alias = random.choice(choices)
    _pinned.set(alias)
    return alias


def use_primary() -> None:
    """From now on this request reads the primary (e.g. the replica is
    behind the content version the page will be keyed on)."""
    _use_replica.set(False)


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry: writes and migrations on the primary, reads
    on a replica only when the request allows it (see the module's doc)."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        return reading_replica() or "default"

    def db_for_write(self, model: type, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, several copies

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


# --- the middleware -------------------------------------------------------------


def _excluded_prefixes() -> tuple[str, ...]:
    return tuple(settings.NEWSROOM_REPLICA_PRIMARY_PREFIXES)


def may_read_replica(request: HttpRequest) -> bool:
    """Anonymous, safe, public, and not right after this client wrote."""
    if request.method not in SAFE_METHODS:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if strip_prefix(request.path).startswith(_excluded_prefixes()):
        return False
    return not _wrote_recently(request)


def _wrote_recently(request: HttpRequest) -> bool:
    value = request.COOKIES.get(STICKY_COOKIE)
    if not value:
        return False
    try:
        signing.loads(value, salt=_STICKY_SALT, max_age=settings.NEWSROOM_REPLICA_STICKY_SECONDS)
    except signing.BadSignature:
        return False
    return True


class ReplicaRoutingMiddleware:
    """Decides, per request, whether reads may go to a replica.

    Placed after ``PublicCacheMiddleware`` so that, in ``process_view``, the
    content state the cache read from the primary is known: a replica
    behind it is not used for this request.  Does nothing when no replica is
    configured.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.enabled = bool(replica_aliases())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.enabled:
            return self.get_response(request)
        token_use = _use_replica.set(may_read_replica(request))
        token_pin = _pinned.set(None)
        try:
            response = self.get_response(request)
        finally:
            request.newsroom_read_from = _pinned.get() if _use_replica.get() else "default"
            _use_replica.reset(token_use)
            _pinned.reset(token_pin)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                STICKY_COOKIE,
                signing.dumps(1, salt=_STICKY_SALT),
                max_age=settings.NEWSROOM_REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> None:
        if not self.enabled or not _use_replica.get():
            return None
        from newsroom.caching import current_state

        plan = getattr(request, "_public_cache", None)
        if plan is not None:
            state = plan.state
        else:
            from django.utils import timezone

            state = current_state(timezone.now())
        alias = reading_replica()
        if alias is not None and not replica_has_version(alias, state.version):
            use_primary()
        request._replica_view = (view_func, view_args, view_kwargs)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A replica that fails mid-request (stopped, restarted, cut off)
        costs the reader nothing: it is marked unusable, and the view, a
        safe and anonymous one, runs again on the primary.  An error on the
        primary is not retried (it becomes the 503 page)."""
        alias = _pinned.get()
        view = getattr(request, "_replica_view", None)
        if not self.enabled or alias is None or not _use_replica.get() or view is None:
            return None
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.warning("replica %s failed mid-request (%s): reading the primary", alias, exception)
        mark_unusable(alias)
        use_primary()
        request._replica_view = None  # once only
        view_func, view_args, view_kwargs = view
        return view_func(request, *view_args, **view_kwargs)

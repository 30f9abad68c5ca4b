"""HTTP helpers that views of any app need, knowing nothing of any app."""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable

from django.db.models import QuerySet
from django.utils import timezone


def public_cache_exempt(view: Callable) -> Callable:
    """Mark a view that sets its own validators (file downloads, the API):
    the public cache middleware (``newsroom.caching``) then neither asks for
    the content state nor marks the response."""
    view.public_cache_exempt = True
    return view


_last_change_source: Callable[[], QuerySet] | None = None


def set_last_change_source(source: Callable[[], QuerySet]) -> None:
    """Install the project's "when did anything public last change".

    A deletion leaves no row behind to date it, so a Last-Modified taken
    over the rows that remain cannot see it; the project knows better (its
    content version moves with every public change, deletions included) and
    plugs it in at start-up, as it does the state token of ``core.memo``, so
    that the apps below it (the API) need not import it.
    """
    global _last_change_source
    _last_change_source = source


def last_change_query() -> QuerySet | None:
    """A one-value queryset (``values("…")[:1]`` style) giving the instant of
    the last public change, for a caller to fold into a query of its own as
    a sub-select; None when no project installed one."""
    return _last_change_source() if _last_change_source is not None else None


def as_datetime(value: object) -> datetime.datetime | None:
    """An aware datetime from what a raw query returned (SQLite hands back text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


#: ``max-age`` while an embargo instant is near.  Zero, not "a few seconds":
#: any positive constant *k* lets a copy served *k* − 1 s before an instant
#: outlive it, and a value that shrank with the distance would be a countdown
#: to the instant.  Zero costs a revalidation, which the ETag answers with a
#: bodiless 304 before any view runs.
NEAR_EMBARGO_MAX_AGE = 0


def public_max_age(
    now: datetime.datetime, next_embargo_at: datetime.datetime | None, ceiling: int
) -> int:
    """How long a shared cache may keep a public answer: ``ceiling`` or
    :data:`NEAR_EMBARGO_MAX_AGE`, and never past ``next_embargo_at``.

    Why not simply "the seconds left before the instant": that header *is*
    the instant (``now + max-age``), readable by anyone on any page while
    the release it belongs to is hidden.  So the answer is one of two
    constants, and which one depends on the instant only coarsely:

    Time is cut into cells of ``ceiling`` seconds counted from the Unix
    epoch.  The full ``ceiling`` is sent while the instant lies at least one
    ``ceiling`` beyond the end of the current cell — then ``now + ceiling``
    is before the instant, so no copy outlives it — and the short constant
    from that cell on.  The switch therefore happens on a cell boundary, not
    at "instant − ceiling": a visitor who polls learns at most which
    ``ceiling``-long cell holds the instant, never its second, and two
    instants in one cell give identical headers at every moment.  The price
    is between one and two ceilings of revalidation before each embargo.
    """
    if ceiling <= NEAR_EMBARGO_MAX_AGE:
        return max(0, ceiling)
    if next_embargo_at is None:
        return ceiling
    cell_end = (math.floor(now.timestamp() / ceiling) + 1) * ceiling
    if next_embargo_at.timestamp() >= cell_end + ceiling:
        return ceiling
    return NEAR_EMBARGO_MAX_AGE

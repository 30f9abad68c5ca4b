"""Counting views and downloads of releases: cheap on the request, exact in the end.

* :class:`ReachMiddleware` sits *outside* ``newsroom.caching.PublicCacheMiddleware``
  (above it in ``MIDDLEWARE``), so a page answered from the page cache, or a
  304 to a browser revalidating, is counted like a rendered one.
* A request is counted by one Redis ``INCR`` on ``reach:<day>:<kind>:<slug>``
  (``REACH_REDIS_URL``; its own database).  No database query, no cookie; the
  address and the user agent are not kept.  Bots (by user agent: crawlers,
  link previews, scripts, monitors; an empty one too) are not counted.  If
  Redis is down the page is served and the count is lost (short timeouts).
* :func:`flush` (the alerts' sweep runs it) moves the counters into
  :class:`~reach.models.DailyCount` rows: each key is read and deleted in one
  ``GETDEL``, so a count is added once, however many sweeps run.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable
from functools import cache, lru_cache

from django.conf import settings
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone

from core.i18n import strip_prefix
from reach.models import DailyCount
from releases.models import PressRelease

logger = logging.getLogger(__name__)
PREFIX = "reach:"
VIEW, DOWNLOAD = "view", "download"
_VIEWS = {"detail"}
_DOWNLOADS = {"image", "image_format", "file", "media_kit", "contacts_vcard"}
BOTS = re.compile(
    r"bot|crawl|spider|slurp|archiver|fetch|preview|monitor|scan|check|curl|wget|python|"
    r"java/|go-http|httpclient|okhttp|libwww|headless|lighthouse|phantom|facebookexternalhit|"
    r"whatsapp|embedly|feed|rss|wrk|ab/|locust|k6/",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    return not user_agent.strip() or bool(BOTS.search(user_agent))


@cache
def _client():
    import redis

    return redis.Redis.from_url(
        settings.REACH_REDIS_URL, socket_timeout=0.2, socket_connect_timeout=0.2
    )


def client():
    """The Redis client, or None when counting is off (no ``REACH_REDIS_URL``)."""
    return _client() if settings.REACH_REDIS_URL else None


@lru_cache(maxsize=4096)
def what(path: str) -> tuple[str, str] | None:
    """(kind, release slug) for a release page or one of its files; None otherwise
    (remembered per path: resolving costs more than the count itself)."""
    if not strip_prefix(path).startswith("/releases/"):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if "slug" not in match.kwargs:
        return None
    # The release page's address is answered by the press room's wrapper
    # (``pressroom.views.release_page``, outside any namespace), which serves the
    # public page, or an embargoed one to a trusted journalist (not counted below).
    if match.url_name == "release_page" and not match.namespace:
        return VIEW, match.kwargs["slug"]
    if match.namespace != "releases":
        return None
    if match.url_name in _VIEWS:
        return VIEW, match.kwargs["slug"]
    if match.url_name in _DOWNLOADS:
        return DOWNLOAD, match.kwargs["slug"]
    return None


def key(day: datetime.date, kind: str, slug: str) -> str:
    return f"{PREFIX}{day:%Y%m%d}:{kind}:{slug}"


def count(kind: str, slug: str, now: datetime.datetime | None = None) -> None:
    redis = client()
    if redis is None:
        return
    day = timezone.localdate(now or timezone.now())
    try:
        pipe = redis.pipeline(transaction=False)
        name = key(day, kind, slug)
        pipe.incr(name)
        pipe.expire(name, 14 * 24 * 3600)  # a sweep that never runs leaves nothing for ever
        pipe.execute()
    except Exception:  # counting must never break or slow a page
        logger.warning("reach: could not count %s %s", kind, slug, exc_info=True)


class ReachMiddleware:
    """Counts public release views and downloads (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method == "GET" and settings.REACH_REDIS_URL:
            found = what(request.path_info)
            if found is not None:
                kind, slug = found
                counted = (200, 304) if kind == VIEW else (200, 206)
                agent = request.headers.get("User-Agent", "")
                # An embargoed page read in advance by a journalist is private: it is
                # the press room's access log that records it, not the public reach.
                private = "private" in response.get("Cache-Control", "")
                if response.status_code in counted and not is_bot(agent) and not private:
                    count(kind, slug)
        return response


def flush(now: datetime.datetime | None = None) -> dict[str, int]:
    """Move the buffered counters into daily rows (run by the sweep)."""
    redis = client()
    if redis is None:
        return {"flushed": 0}
    found: dict[tuple[str, str, str], int] = {}
    for name in redis.scan_iter(match=f"{PREFIX}*", count=1000):
        value = redis.getdel(name)
        if not value:
            continue
        _, day, kind, slug = name.decode().split(":", 3)
        found[(day, kind, slug)] = found.get((day, kind, slug), 0) + int(value)
    if not found:
        return {"flushed": 0}
    ids = dict(
        PressRelease.objects.filter(slug__in={slug for _, _, slug in found}).values_list(
            "slug", "pk"
        )
    )
    written = 0
    for (day, kind, slug), value in found.items():
        if slug not in ids:
            continue
        date = datetime.datetime.strptime(day, "%Y%m%d").date()
        row, created = DailyCount.objects.get_or_create(
            release_id=ids[slug], day=date, kind=kind, defaults={"count": value}
        )
        if not created:
            DailyCount.objects.filter(pk=row.pk).update(count=F("count") + value)
        written += value
    return {"flushed": written}

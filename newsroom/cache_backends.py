"""A Redis page cache that a Redis outage cannot turn into errors.

The shared page cache (``CACHES["pages"]``, ``newsroom.caching``) only saves
work: every page can be rendered without it.  So when Redis is down the
site must go on serving, uncached, and use Redis again when it is back.
Django's ``RedisCache`` raises on a refused or timed-out connection; this
subclass turns those errors into a miss (reads) or a no-op (writes), and
after a failure does not try the server again for
``NEWSROOM_CACHE_RETRY_SECONDS``, so requests do not each wait for a
connect timeout while Redis is away.

Sessions and the login throttle (django-axes) keep their state in the
database, not in this cache, so signing in and staying signed in do not
depend on Redis either.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

T = TypeVar("T")

try:  # redis-py's errors: the ones a dead or unreachable server raises
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    UNAVAILABLE: tuple[type[BaseException], ...] = (
        RedisConnectionError,
        RedisTimeoutError,
        ConnectionError,
        TimeoutError,
        OSError,
    )
except ImportError:  # pragma: no cover - redis is a dependency
    UNAVAILABLE = (ConnectionError, TimeoutError, OSError)


class TolerantRedisCache(RedisCache):
    """``RedisCache`` whose connection errors are misses and no-ops."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._down_until = 0.0
        self._lock = threading.Lock()
        self.failures = 0  # how many calls found the server unreachable (for tests, logs)

    @property
    def available(self) -> bool:
        """False during the back-off after a failure."""
        return time.monotonic() >= self._down_until

    def _guard(self, call: Callable[[], T], fallback: T) -> T:
        if not self.available:
            return fallback
        try:
            return call()
        except UNAVAILABLE as exc:
            with self._lock:
                self.failures += 1
                first = self._down_until == 0.0 or time.monotonic() >= self._down_until
                self._down_until = time.monotonic() + settings.NEWSROOM_CACHE_RETRY_SECONDS
            if first:
                logger.warning("page cache unreachable, serving uncached: %s", exc)
            return fallback

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guard(lambda: RedisCache.get(self, key, default, version), default)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._guard(lambda: RedisCache.set(self, key, value, timeout, version), None)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._guard(lambda: RedisCache.add(self, key, value, timeout, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guard(lambda: RedisCache.delete(self, key, version), False)

    def get_many(self, keys: Any, version: int | None = None) -> dict:
        return self._guard(lambda: RedisCache.get_many(self, keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guard(lambda: RedisCache.has_key(self, key, version), False)

    def clear(self) -> None:
        self._guard(lambda: RedisCache.clear(self), None)

"""Redis down: the page cache misses quietly, the site serves, Redis is used again after."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
import redis
from django.core.cache import caches

from newsroom.cache_backends import TolerantRedisCache
from tests.alerts.support import free_port
from tests.factories import PressReleaseFactory


def _tolerant(port: int) -> dict:
    return {
        "BACKEND": "newsroom.cache_backends.TolerantRedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/7",
        "KEY_PREFIX": f"newsroom-test-{uuid.uuid4().hex}",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


def test_nothing_listening_is_a_miss_and_a_no_op(settings):
    settings.NEWSROOM_CACHE_RETRY_SECONDS = 30
    cache = TolerantRedisCache(_tolerant(free_port())["LOCATION"], {})
    assert cache.get("k", "fallback") == "fallback"
    assert cache.failures == 1
    cache.set("k", "v")  # no error
    assert cache.get_many(["k"]) == {}
    assert cache.add("k", "v") is False
    # The back-off: no further attempt (no new failure, and no wait).
    started = time.monotonic()
    for _ in range(50):
        cache.get("k")
    assert time.monotonic() - started < 0.1
    assert cache.failures == 1


@pytest.mark.django_db
def test_the_site_serves_pages_while_redis_is_unreachable(client, settings):
    settings.CACHES = {**settings.CACHES, "pages": _tolerant(free_port())}
    settings.NEWSROOM_PAGE_CACHE = "pages"
    PressReleaseFactory(title="Served without a cache")
    for path in ("/", "/releases/"):
        response = client.get(path)
        assert response.status_code == 200
    assert b"Served without a cache" in response.content


@pytest.fixture
def redis_server(tmp_path) -> Iterator[tuple[int, dict, Callable[[], subprocess.Popen]]]:
    """A redis-server of the test's own, on a free port, that the test may stop."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    args += ["--dir", str(tmp_path)]

    def start() -> subprocess.Popen:
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL)
        for _ in range(100):
            try:
                redis.Redis(port=port, socket_connect_timeout=0.2).ping()
                return proc
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    state = {"proc": start()}
    yield port, state, start
    state["proc"].terminate()
    state["proc"].wait(10)


@pytest.mark.django_db
def test_redis_stopped_then_started_the_cache_is_used_again(client, settings, redis_server):
    port, state, start = redis_server
    settings.NEWSROOM_CACHE_RETRY_SECONDS = 0.3
    settings.CACHES = {**settings.CACHES, "pages": _tolerant(port)}
    settings.NEWSROOM_PAGE_CACHE = "pages"
    PressReleaseFactory(title="Cached story")
    assert client.get("/releases/")["X-Newsroom-Cache"] == "miss"
    assert client.get("/releases/")["X-Newsroom-Cache"] == "hit"

    state["proc"].terminate()
    state["proc"].wait(10)
    for _ in range(3):
        response = client.get("/releases/")
        assert response.status_code == 200
        assert b"Cached story" in response.content
    assert caches["pages"].failures >= 1

    state["proc"] = start()  # empty: the old pages are gone with the process
    time.sleep(0.4)  # past the back-off
    assert client.get("/releases/")["X-Newsroom-Cache"] == "miss"
    assert client.get("/releases/")["X-Newsroom-Cache"] == "hit"


def test_sessions_and_the_login_throttle_do_not_depend_on_redis(settings):
    """Only the page cache is in Redis: sessions and django-axes' failure
    counts are database rows, so signing in works while Redis is down."""
    from axes.handlers.database import AxesDatabaseHandler
    from django.utils.module_loading import import_string

    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert issubclass(import_string(settings.AXES_HANDLER), AxesDatabaseHandler)
    assert "redis" not in settings.CACHES["default"]["BACKEND"].lower()

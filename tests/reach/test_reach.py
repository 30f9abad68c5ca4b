"""Reach: views and downloads counted on the server through a real Redis
(its own database, 8), bots and errors left out, cached pages counted too,
nothing about the reader kept; the sweep flushes daily rows; the panel draws them."""

from __future__ import annotations

import os
import uuid

import pytest
import redis
from django.contrib.auth.models import Group
from django.core.cache import caches

from reach import counting
from reach.models import DailyCount
from releases.roles import EDITOR
from tests.factories import MediaContactFactory, PressReleaseFactory, UserFactory

pytestmark = pytest.mark.django_db
REDIS = os.environ.get("REACH_TEST_REDIS_URL", "redis://127.0.0.1:6379/8")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36"


@pytest.fixture(autouse=True)
def counting_on(settings):
    settings.REACH_REDIS_URL = REDIS
    counting._client.cache_clear()
    store = redis.Redis.from_url(REDIS, socket_connect_timeout=1)
    try:
        store.ping()
    except redis.exceptions.RedisError as exc:
        # CI starts Redis and sets NEWSROOM_REQUIRE_REDIS=1: there these must run.
        if os.environ.get("NEWSROOM_REQUIRE_REDIS") == "1":
            pytest.fail(f"NEWSROOM_REQUIRE_REDIS=1 but Redis at {REDIS} does not answer: {exc}")
        pytest.skip(f"no Redis at {REDIS}")
    for key in store.scan_iter(match="reach:*"):
        store.delete(key)
    yield store
    for key in store.scan_iter(match="reach:*"):
        store.delete(key)
    counting._client.cache_clear()


def views(release) -> int:
    return sum(
        DailyCount.objects.filter(release=release, kind="view").values_list("count", flat=True)
    )


def test_views_and_downloads_are_counted_bots_and_errors_are_not(client, counting_on):
    release = PressReleaseFactory(slug="harbour-reopens", contacts=[MediaContactFactory()])
    for _ in range(3):
        assert client.get("/releases/harbour-reopens/", HTTP_USER_AGENT=BROWSER).status_code == 200
    client.get("/releases/harbour-reopens/", HTTP_USER_AGENT="Googlebot/2.1")
    client.get("/releases/harbour-reopens/", HTTP_USER_AGENT="")
    client.get("/releases/harbour-reopens/", HTTP_USER_AGENT="curl/8.0")
    client.get("/releases/no-such-release/", HTTP_USER_AGENT=BROWSER)
    client.get("/releases/", HTTP_USER_AGENT=BROWSER)
    client.get("/releases/harbour-reopens/contacts.vcf", HTTP_USER_AGENT=BROWSER)
    keys = sorted(k.decode() for k in counting_on.scan_iter(match="reach:*"))
    assert [k.split(":", 2)[2] for k in keys] == [
        "download:harbour-reopens",
        "view:harbour-reopens",
    ]
    assert counting.flush() == {"flushed": 4}
    assert views(release) == 3
    assert DailyCount.objects.get(kind="download").count == 1
    assert not list(counting_on.scan_iter(match="reach:*")), "flushed keys stay in Redis"
    # A second sweep adds nothing; new views add to the same day's row.
    assert counting.flush() == {"flushed": 0}
    client.get("/releases/harbour-reopens/", HTTP_USER_AGENT=BROWSER)
    counting.flush()
    assert views(release) == 4 and DailyCount.objects.filter(kind="view").count() == 1


def test_an_embargoed_release_counts_nothing(client):
    from django.utils import timezone

    PressReleaseFactory(slug="later", publish_at=timezone.now() + timezone.timedelta(days=1))
    assert client.get("/releases/later/", HTTP_USER_AGENT=BROWSER).status_code == 404
    assert counting.flush() == {"flushed": 0}


def test_cached_pages_are_counted_and_nothing_about_the_reader_is_kept(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": f"reach-test-{uuid.uuid4().hex}",
        },
    }
    settings.NEWSROOM_PAGE_CACHE = "pages"
    caches["pages"].clear()
    release = PressReleaseFactory(slug="cached-story")
    first = client.get("/releases/cached-story/", HTTP_USER_AGENT=BROWSER)
    second = client.get("/releases/cached-story/", HTTP_USER_AGENT=BROWSER)
    assert (first["X-Newsroom-Cache"], second["X-Newsroom-Cache"]) == ("miss", "hit")
    again = client.get(
        "/releases/cached-story/", HTTP_USER_AGENT=BROWSER, HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert again.status_code == 304
    assert "Set-Cookie" not in second and not client.cookies
    counting.flush()
    assert views(release) == 3
    caches["pages"].clear()


def test_redis_down_serves_the_page_and_loses_only_the_count(client, settings):
    settings.REACH_REDIS_URL = "redis://127.0.0.1:1/0"
    counting._client.cache_clear()
    PressReleaseFactory(slug="still-served")
    assert client.get("/releases/still-served/", HTTP_USER_AGENT=BROWSER).status_code == 200


def test_the_sweep_flushes_and_the_panel_draws_the_days(client, counting_on):
    from django.utils import timezone

    from alerts import sweeps

    release = PressReleaseFactory(slug="charted")
    for _ in range(2):
        client.get("/releases/charted/", HTTP_USER_AGENT=BROWSER)
    result = sweeps.run_all(timezone.now())
    assert result["reach"] == {"flushed": 2}
    editor = UserFactory(username="eddie", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(editor)
    page = client.get(f"/admin/reach/dailycount/release/{release.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert '<svg id="reach-chart"' in text and text.count("<rect ") == 30
    assert "<th>Page views</th><td>2</td>" in text
    chosen = client.post(
        "/admin/releases/pressrelease/", {"action": "reach", "_selected_action": [release.pk]}
    )
    assert chosen.status_code == 302 and chosen["Location"].endswith(
        f"/admin/reach/dailycount/release/{release.pk}/"
    )

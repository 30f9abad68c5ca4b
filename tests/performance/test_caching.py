"""Public caching: conditional GET, bounded lifetimes, no stale page past an embargo."""

from __future__ import annotations

import datetime
import os
import re
import uuid

import pytest
import redis
import time_machine
from django.core.cache import caches
from django.utils import timezone

from newsroom.caching import content_state
from newsroom.models import ContentVersion
from releases.models import PressRelease
from tests.factories import OrganisationFactory, PressReleaseFactory

pytestmark = pytest.mark.django_db


def max_age(response) -> int:
    return int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))


def test_public_page_carries_validators_and_a_bounded_lifetime(client, settings):
    settings.NEWSROOM_CACHE_MAX_AGE = 60
    PressReleaseFactory(title="A published release")
    response = client.get("/releases/")
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert "Last-Modified" in response
    assert response["Cache-Control"] == "public, max-age=60"


def test_conditional_get_answers_304_until_content_changes(client):
    release = PressReleaseFactory(title="First title")
    etag = client.get("/releases/")["ETag"]

    assert client.get("/releases/", HTTP_IF_NONE_MATCH=etag).status_code == 304

    release.title = "Corrected title"
    release.save()
    fresh = client.get("/releases/", HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert b"Corrected title" in fresh.content
    assert fresh["ETag"] != etag


def test_withdrawal_invalidates_the_etag(client):
    release = PressReleaseFactory(title="To be withdrawn")
    etag = client.get("/releases/")["ETag"]
    release.status = PressRelease.Status.WITHDRAWN
    release.withdrawal_reason = "Issued in error."
    release.save()
    response = client.get("/releases/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert b"To be withdrawn" not in response.content


def test_lifetime_never_outlives_the_next_embargo(client, settings):
    settings.NEWSROOM_CACHE_MAX_AGE = 300
    PressReleaseFactory(publish_at=timezone.now() + datetime.timedelta(seconds=45))
    assert max_age(client.get("/")) <= 45


def test_cached_page_is_not_served_stale_past_the_embargo_instant(client, settings):
    """The clock is moved past the embargo; no write happens in between, yet the
    old ETag no longer matches and the page shows the release."""
    settings.NEWSROOM_CACHE_MAX_AGE = 300
    embargo = timezone.now() + datetime.timedelta(minutes=5)
    PressReleaseFactory(title="Embargoed story", publish_at=embargo)
    before = client.get("/releases/")
    assert b"Embargoed story" not in before.content
    assert max_age(before) <= 300

    with time_machine.travel(embargo + datetime.timedelta(seconds=1), tick=False):
        after = client.get("/releases/", HTTP_IF_NONE_MATCH=before["ETag"])
        assert after.status_code == 200
        assert b"Embargoed story" in after.content


def _redis_url() -> str:
    """The local Redis for the shared-cache test; CI starts it and sets
    NEWSROOM_REQUIRE_REDIS=1, so there the test must run, not skip."""
    url = os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as exc:
        if os.environ.get("NEWSROOM_REQUIRE_REDIS") == "1":
            pytest.fail(f"NEWSROOM_REQUIRE_REDIS=1 but Redis at {url} does not answer: {exc}")
        pytest.skip(f"no Redis at {url}: {exc}")
    return url


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, settings):
    """The shared page cache, in process memory and in a real Redis server
    (the production choice); a unique key prefix keeps parallel runs apart."""
    if request.param == "redis":
        backend = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url(),
            "KEY_PREFIX": f"newsroom-test-{uuid.uuid4().hex}",
        }
    else:
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    settings.CACHES = {**settings.CACHES, "pages": backend}
    settings.NEWSROOM_PAGE_CACHE = "pages"
    caches["pages"].clear()
    return caches["pages"]


def test_shared_page_cache_hits_and_is_invalidated_by_a_publish(client, page_cache):
    org = OrganisationFactory()
    PressReleaseFactory(title="Old news", organisations=[org])
    assert client.get("/releases/")["X-Newsroom-Cache"] == "miss"
    assert client.get("/releases/")["X-Newsroom-Cache"] == "hit"

    PressReleaseFactory(title="Breaking news", organisations=[org])
    response = client.get("/releases/")
    assert response["X-Newsroom-Cache"] == "miss"
    assert b"Breaking news" in response.content


def test_admin_and_logged_in_requests_are_not_marked_cacheable(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/releases/")
    assert "public" not in response.get("Cache-Control", "")


def test_tag_change_moves_the_content_version():
    release = PressReleaseFactory()
    before = ContentVersion.objects.get(pk=1).version
    release.tags.add("floods")
    assert ContentVersion.objects.get(pk=1).version > before


def test_content_state_is_one_query(django_assert_num_queries):
    PressReleaseFactory()
    with django_assert_num_queries(1):
        state = content_state()
    assert state.version > 0


def test_state_memo_saves_the_query_but_not_past_a_local_write(
    client, settings, django_assert_num_queries
):
    settings.NEWSROOM_STATE_TTL = 60
    PressReleaseFactory(title="Memo one")
    etag = client.get("/releases/")["ETag"]
    with django_assert_num_queries(0):
        assert client.get("/releases/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    PressReleaseFactory(title="Memo two")  # a write in this process drops the memo
    assert client.get("/releases/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_state_memo_is_dropped_at_the_embargo_instant(client, settings):
    settings.NEWSROOM_STATE_TTL = 3600
    embargo = timezone.now() + datetime.timedelta(minutes=5)
    PressReleaseFactory(title="Memo embargo", publish_at=embargo)
    before = client.get("/releases/")
    assert b"Memo embargo" not in before.content
    with time_machine.travel(embargo + datetime.timedelta(seconds=1), tick=False):
        after = client.get("/releases/", HTTP_IF_NONE_MATCH=before["ETag"])
        assert b"Memo embargo" in after.content

"""Answers built once per content state (feeds, sitemaps, the API, the rows
of the home page, lists and searches) never outlive a change the public can see.

The home page's and lists' rows are remembered per content state
(``core.memo.remember``); feeds, sitemap pages and API answers are kept as
bytes in the memo cache,
keyed on the content state token (``core.memo.remember_response``,
``api.http.remembered_json_response``).  Each test first proves the answer
*is* remembered (a repeat costs only the state query), then changes the
content and checks the live answer: a withdrawal removes the release (or
marks it withdrawn in feeds), and a scheduled release appears at its
instant and not one second before.  The embargo matrix
(tests/public/test_embargo_matrix.py) asks every channel before and after
the instant too, with the memo filled in between.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone

from releases.models import PressRelease
from tests.factories import OrganisationFactory, PressReleaseFactory

pytestmark = pytest.mark.django_db

REMEMBERED = [
    "/",
    "/releases/",
    "/releases/?org=cache-agency",
    "/search/?q=cache",
    "/feeds/releases.rss",
    "/feeds/releases.atom",
    "/feeds/organisations/cache-agency.rss",
    "/sitemap-releases.xml",
    "/api/v1/releases/",
    "/api/v1/releases/?organisation=cache-agency",
]


@pytest.fixture
def org():
    return OrganisationFactory(name="Cache Agency", slug="cache-agency")


def queries_of(client, url: str) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.content


@pytest.mark.parametrize("url", REMEMBERED)
def test_a_repeat_is_answered_from_the_memo(client, org, url):
    PressReleaseFactory(title="Remembered news", slug="remembered-news", organisations=[org])
    cold, first = queries_of(client, url)
    warm, again = queries_of(client, url)
    assert b"remembered-news" in first
    assert again == first
    # The content state, nothing else: a filtered list's slug lookup (its
    # label, or "unknown organisation") is remembered too.
    assert warm == 1 < cold


@pytest.mark.parametrize("url", REMEMBERED)
def test_a_withdrawal_reaches_a_remembered_answer(client, org, url):
    release = PressReleaseFactory(
        title="Soon withdrawn", slug="soon-withdrawn", organisations=[org]
    )
    PressReleaseFactory(title="Stays", organisations=[org])
    assert b"soon-withdrawn" in client.get(url).content
    client.get(url)  # now from the memo
    release.status = PressRelease.Status.WITHDRAWN
    release.withdrawal_reason = "Issued in error."
    release.save()
    content = client.get(url).content
    if "/feeds/" in url:  # feeds keep the item, marked, without its text
        assert b"Withdrawn: Soon withdrawn" in content
    else:
        assert b"soon-withdrawn" not in content


def test_a_withdrawn_release_leaves_the_remembered_api_detail(client, org):
    release = PressReleaseFactory(slug="detail-withdrawn", organisations=[org])
    url = "/api/v1/releases/detail-withdrawn/"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    release.status = PressRelease.Status.WITHDRAWN
    release.save()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", [*REMEMBERED, "/sitemap.xml"])
def test_a_scheduled_release_appears_at_its_instant_not_before(client, org, url):
    instant = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=2)
    PressReleaseFactory(title="Already out", organisations=[org])
    PressReleaseFactory(
        title="Scheduled news", slug="scheduled-news", organisations=[org], publish_at=instant
    )
    marker = b"scheduled-news"
    if url == "/sitemap.xml":
        # The index names pages, not releases: its newest date is the marker.
        marker = dateformat.format(timezone.localtime(instant), "c").encode()
    for _ in range(2):  # the second from the memo
        assert marker not in client.get(url).content
    with time_machine.travel(instant - datetime.timedelta(seconds=1), tick=False):
        assert marker not in client.get(url).content
    with time_machine.travel(instant + datetime.timedelta(seconds=1), tick=False):
        assert marker in client.get(url).content


def test_the_api_answers_304_from_the_memo_without_building_the_body(client, org):
    PressReleaseFactory(organisations=[org])
    etag = client.get("/api/v1/releases/")["ETag"]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/releases/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert len(ctx.captured_queries) == 1  # the content state
    PressReleaseFactory(organisations=[org])
    assert client.get("/api/v1/releases/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_release_page_is_remembered_and_a_withdrawal_reaches_it(client, org):
    release = PressReleaseFactory(title="Page news", slug="page-news", organisations=[org])
    url = release.get_absolute_url()
    cold, first = queries_of(client, url)
    warm, again = queries_of(client, url)
    assert warm == 1 < cold and again == first
    assert b"withdrawal-reason-text" not in first
    release.status = PressRelease.Status.WITHDRAWN
    release.withdrawal_reason = "withdrawal-reason-text"
    release.save()
    assert b"withdrawal-reason-text" in client.get(url).content
    release.status = PressRelease.Status.REMOVED
    release.save()
    assert client.get(url).status_code == 410


@pytest.mark.parametrize("path", ["/releases/", "/search/"])
def test_a_remembered_topic_filter_opens_at_the_embargo_instant_not_before(client, org, path):
    """A topic is filterable only once a public release carries it; its
    remembered lookup must not keep "unknown topic" past the instant, nor
    know the topic a second before it (the topic's name is news)."""
    instant = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=2)
    PressReleaseFactory(title="Already out", organisations=[org])
    scheduled = PressReleaseFactory(
        title="Merger talks", slug="merger-talks", organisations=[org], publish_at=instant
    )
    scheduled.tags.add("Merger talks")
    url = f"{path}?tag=merger-talks"
    for _ in range(2):  # the second from the memo
        content = client.get(url).content.decode()
        assert "Unknown topic" in content and "Merger talks" not in content
    with time_machine.travel(instant - datetime.timedelta(seconds=1), tick=False):
        assert "Unknown topic" in client.get(url).content.decode()
    with time_machine.travel(instant + datetime.timedelta(seconds=1), tick=False):
        content = client.get(url).content.decode()
        assert "Unknown topic" not in content and "Merger talks" in content
        warm, again = queries_of(client, url)
        assert warm == 1 and again.decode() == content

"""Releases in the API: only published ones, filters, pagination, harvesting."""

from __future__ import annotations

import datetime
import json
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from releases.models import PressRelease
from tests.api.support import STAFF_NOTE, assert_valid, full_release, world  # noqa: F401
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PressReleaseFactory,
)

pytestmark = pytest.mark.django_db
LIST = "/api/v1/releases/"


def slugs(response) -> list[str]:
    return [item["slug"] for item in assert_valid(response, "/releases/")["results"]]


# Visibility --------------------------------------------------------------------


def test_only_published_releases_are_listed(client, world):  # noqa: F811
    listed = slugs(client.get(LIST))
    assert listed == [world.published.slug, world.older.slug]
    for release in world.hidden.values():
        assert release.slug not in listed


@pytest.mark.parametrize("state", ["embargoed", "draft", "withdrawn"])
def test_unpublished_release_is_404_at_its_url(client, world, state):  # noqa: F811
    response = client.get(f"{LIST}{world.hidden[state].slug}/")
    assert response.status_code == 404
    assert json.loads(response.content)["error"]["code"] == "not_found"
    assert world.hidden[state].title.encode() not in response.content


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/partnerships/rights-mou/",
        "/api/v1/releases/?tag=migration",
        "/api/v1/releases/?organisation=ga-pk",
        "/api/v1/releases/?partnership=rights-mou",
        "/api/v1/releases/?updated_since=2000-01-01",
    ],
)
def test_unpublished_releases_absent_from_every_listing(client, world, url):  # noqa: F811
    response = client.get(url)
    assert response.status_code == 200
    assert world.published.slug.encode() in response.content
    for release in world.hidden.values():
        assert release.slug.encode() not in response.content


def test_embargo_lifts_at_its_instant(client, world):  # noqa: F811
    embargoed = world.hidden["embargoed"]
    assert client.get(f"{LIST}{embargoed.slug}/").status_code == 404
    PressRelease.objects.filter(pk=embargoed.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(f"{LIST}{embargoed.slug}/").status_code == 200
    assert embargoed.slug in slugs(client.get(LIST))


def test_internal_contacts_and_staff_notes_never_appear(client, world):  # noqa: F811
    urls = [
        LIST,
        f"{LIST}{world.published.slug}/",
        "/api/v1/contacts/",
        f"/api/v1/organisations/{world.lead.slug}/",
        "/api/v1/organisations/",
        "/api/v1/partnerships/",
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert STAFF_NOTE not in body, url
        assert "staff_notes" not in body, url
        assert world.internal_contact.name not in body, url
        assert world.internal_contact.email not in body, url
        assert world.inactive_contact.name not in body, url
    contacts = assert_valid(client.get("/api/v1/contacts/"), "/contacts/")["results"]
    assert [c["name"] for c in contacts] == ["Amina Khan"]


def test_draft_partnership_not_shown_on_release(client, world):  # noqa: F811
    body = client.get(f"{LIST}{world.published.slug}/").content.decode()
    assert world.draft_partnership.slug not in body


# Filters ---------------------------------------------------------------------


def test_filter_by_organisation_and_tag(client, world):  # noqa: F811
    assert slugs(client.get(LIST, {"organisation": "ga-pk"})) == [world.published.slug]
    assert slugs(client.get(LIST, {"organisation": "rc"})) == [
        world.published.slug,
        world.older.slug,
    ]
    assert slugs(client.get(LIST, {"tag": "health"})) == [world.older.slug]
    assert slugs(client.get(LIST, {"tag": "health", "organisation": "ga-pk"})) == []
    assert slugs(client.get(LIST, {"organisation": "nobody"})) == []


def test_filter_by_a_tag_with_a_non_ascii_slug(client, world):  # noqa: F811
    world.older.tags.add("Balochistán")
    tag_slug = world.older.tags.get(name="Balochistán").slug
    assert slugs(client.get(LIST, {"tag": tag_slug})) == [world.older.slug]


def test_filter_by_partnership(client, world):  # noqa: F811
    assert slugs(client.get(LIST, {"partnership": "rights-mou"})) == [world.published.slug]


def test_filter_by_publication_window(client, world):  # noqa: F811
    older_day = timezone.localtime(world.older.publish_at).date()
    after = (older_day + datetime.timedelta(days=1)).isoformat()
    assert slugs(client.get(LIST, {"published_after": after})) == [world.published.slug]
    assert slugs(client.get(LIST, {"published_before": after})) == [world.older.slug]
    assert slugs(
        client.get(LIST, {"published_after": older_day.isoformat(), "published_before": after})
    ) == [world.older.slug]
    exact = world.published.publish_at.isoformat()
    assert slugs(client.get(LIST, {"published_after": exact})) == [world.published.slug]
    assert world.published.slug not in slugs(client.get(LIST, {"published_before": exact}))


def test_offset_typed_unencoded_in_the_url_is_understood(client, world):  # noqa: F811
    # "+05:00" typed unencoded in a shell arrives as " 05:00".
    plus_five = datetime.timezone(datetime.timedelta(hours=5))
    when = world.published.publish_at.astimezone(plus_five) - datetime.timedelta(minutes=1)
    response = client.get(f"{LIST}?published_after={when.strftime('%Y-%m-%dT%H:%M:%S+05:00')}")
    assert slugs(response) == [world.published.slug]
    later = when + datetime.timedelta(minutes=2)
    response = client.get(f"{LIST}?published_after={later.strftime('%Y-%m-%dT%H:%M:%S+05:00')}")
    assert slugs(response) == []


def test_updated_since_returns_edited_and_newly_public_releases(client, world):  # noqa: F811
    cutoff = timezone.now()
    assert slugs(client.get(LIST, {"updated_since": cutoff.isoformat()})) == []
    # An edit after the cut-off.
    world.older.summary = "Updated summary."
    world.older.save()
    # An embargo lifting after the cut-off, with no edit at all.
    embargoed = world.hidden["embargoed"]
    PressRelease.objects.filter(pk=embargoed.pk).update(
        publish_at=timezone.now(), modified_at=cutoff - datetime.timedelta(days=2)
    )
    listed = slugs(client.get(LIST, {"updated_since": cutoff.isoformat()}))
    assert sorted(listed) == sorted([world.older.slug, embargoed.slug])
    assert world.published.slug not in listed


# Pagination --------------------------------------------------------------------


@pytest.fixture
def many(db) -> list[PressRelease]:
    """Seven releases, two sharing one publish_at so the id breaks the tie."""
    now = timezone.now()
    same = now - datetime.timedelta(hours=5)
    releases = [
        PressReleaseFactory(publish_at=now - datetime.timedelta(hours=i)) for i in range(1, 6)
    ]
    releases += [PressReleaseFactory(publish_at=same), PressReleaseFactory(publish_at=same)]
    return sorted(releases, key=lambda r: (r.publish_at, r.pk), reverse=True)


def test_pages_cover_everything_once_in_stable_order(client, many, settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    seen: list[str] = []
    url = f"{LIST}?page_size=3&tag="
    pages = 0
    while url:
        data = assert_valid(client.get(url), "/releases/")
        assert data["count"] == len(many)
        seen += [item["slug"] for item in data["results"]]
        pages += 1
        url = data["next"]
        if url:
            assert url.startswith("https://news.example.org/api/v1/releases/?")
            assert parse_qs(urlparse(url).query)["page_size"] == ["3"]
            url = url.removeprefix("https://news.example.org")
    assert pages == 3
    assert seen == [r.slug for r in many]


def test_previous_link_and_last_page(client, many):
    data = assert_valid(client.get(LIST, {"page": 3, "page_size": 3}), "/releases/")
    assert data["next"] is None
    assert parse_qs(urlparse(data["previous"]).query)["page"] == ["2"]
    assert len(data["results"]) == 1
    first = assert_valid(client.get(LIST, {"page_size": 3}), "/releases/")
    assert first["previous"] is None


def test_page_past_the_end_is_404(client, many):
    response = client.get(LIST, {"page": 4, "page_size": 3})
    assert response.status_code == 404
    assert json.loads(response.content)["error"]["code"] == "page_not_found"


def test_empty_list_is_a_valid_first_page(client, db):
    data = assert_valid(client.get(LIST), "/releases/")
    assert data == {
        "count": 0,
        "page": 1,
        "page_size": data["page_size"],
        "next": None,
        "previous": None,
        "results": [],
    }


@pytest.mark.parametrize(
    "query",
    [
        "page=-1",
        "page=0",
        "page=abc",
        "page_size=abc",
        "page_size=0",
        "page_size=101",
        "updated_since=garbage",
        "updated_since=2023-13-45",
        "published_after=yesterday",
        "published_before=2023-10-18T25:00",
        "organisation=%3Cscript%3E",
        "tag=a%20b",
    ],
)
def test_bad_parameters_are_400_with_a_message(client, db, query):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 400
    data = assert_valid(response, "/releases/")
    assert data["error"]["code"] == "invalid_parameter"
    name = query.split("=")[0]
    assert name in data["error"]["message"]


def test_page_size_100_is_allowed(client, many):
    data = assert_valid(client.get(LIST, {"page_size": 100}), "/releases/")
    assert data["page_size"] == 100
    assert len(data["results"]) == len(many)


# Query counts -------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/releases/?page_size=100",
        "/api/v1/releases/?page_size=100&tag=migration&organisation=shared",
        "/api/v1/organisations/?page_size=100",
        "/api/v1/contacts/?page_size=100",
        "/api/v1/partnerships/?page_size=100",
        "/api/v1/organisations/shared/",
        "/api/v1/partnerships/shared-mou/",
    ],
)
def test_query_count_does_not_grow_with_the_number_of_items(
    client, db, url, django_assert_num_queries
):
    shared = OrganisationFactory(slug="shared")
    mou = PartnershipFactory(slug="shared-mou")
    PartnershipMemberFactory(partnership=mou, organisation=shared)

    def add(n: int) -> None:
        for _ in range(n):
            release = full_release(lead=shared)
            release.partnerships.add(mou)
            PartnershipMemberFactory(partnership=mou)

    add(3)
    few = _queries(client, url)
    add(27)
    with django_assert_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
    assert few <= 12

"""What the public channels and the HTTP caches give away about unpublished work.

From a hostile test of the production server:

* topic names of drafts and embargoed releases answered through the topic
  feeds and the topic filter (and inactive organisations through the
  organisation filter);
* ``max-age`` counted down to the next embargo instant (the instant could be
  read off the header), the API ignored the instant, and a worker's state memo
  could stretch a lifetime past an instant scheduled by another worker;
* editing a draft moved the ``ETag`` and ``Last-Modified`` of every public page;
* deleting a published release left the API answering 304 to
  ``If-Modified-Since``.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from contacts.models import Partnership
from releases.models import PressRelease
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PressReleaseFactory,
)

pytestmark = pytest.mark.django_db

Status = PressRelease.Status
CEILING = 60


def max_age(response) -> int:
    return int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))


def validators(client, url: str) -> tuple[str, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return response["ETag"], response["Last-Modified"]


# 5. Topics (and issuers) exist publicly only through published releases -------

SECRET_TOPIC = "Quarrelsome Merger Talks"
SECRET_SLUG = "quarrelsome-merger-talks"


def _unpublished(state: str) -> PressRelease:
    later = timezone.now() + datetime.timedelta(days=2)
    if state == "scheduled":
        return PressReleaseFactory(publish_at=later, tags=[SECRET_TOPIC])
    return PressReleaseFactory(status=state, publish_at=None, tags=[SECRET_TOPIC])


@pytest.mark.parametrize(
    "state",
    [Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, "scheduled", Status.REMOVED],
)
def test_a_topic_of_unpublished_releases_has_no_feed_and_no_filter(client, state):
    _unpublished(state)
    PressReleaseFactory(tags=["Floods"])  # a public topic next to it
    for url in (f"/feeds/tags/{SECRET_SLUG}.rss", f"/feeds/tags/{SECRET_SLUG}.atom"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert SECRET_TOPIC.encode() not in response.content
    for url in (f"/releases/?tag={SECRET_SLUG}", f"/search/?tag={SECRET_SLUG}"):
        response = client.get(url)
        assert response.status_code == 200
        assert b"Unknown topic" in response.content, url
        assert SECRET_TOPIC.encode() not in response.content, url


def test_a_topic_of_a_published_release_has_its_feed_and_filter(client):
    PressReleaseFactory(title="Public story", tags=[SECRET_TOPIC])
    assert SECRET_TOPIC.encode() in client.get(f"/feeds/tags/{SECRET_SLUG}.rss").content
    response = client.get(f"/releases/?tag={SECRET_SLUG}")
    assert b"Unknown topic" not in response.content
    assert b"Public story" in response.content


def test_the_api_topic_filter_shows_only_public_releases(client):
    _unpublished("scheduled")
    response = client.get(f"/api/v1/releases/?tag={SECRET_SLUG}")
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert SECRET_TOPIC.encode() not in response.content


def test_an_inactive_organisation_with_no_public_release_is_unknown_to_the_filter(client):
    hidden = OrganisationFactory(name="Dormant Holding Board", slug="dormant", is_active=False)
    PressReleaseFactory(status=Status.DRAFT, publish_at=None, organisations=[hidden])
    response = client.get("/releases/?organisation=dormant")
    assert b"Unknown organisation" in response.content
    assert b"Dormant Holding Board" not in response.content


def test_an_inactive_organisation_that_issued_public_releases_still_filters(client):
    former = OrganisationFactory(name="Former Commission", slug="former", is_active=False)
    PressReleaseFactory(title="Old public release", organisations=[former])
    response = client.get("/releases/?organisation=former")
    assert b"Unknown organisation" not in response.content
    assert b"Old public release" in response.content


def test_a_draft_partnership_is_unknown_to_the_filter(client):
    draft = PartnershipFactory(title="Unsigned Pact", slug="unsigned", status="draft")
    assert draft.status == Partnership.Status.DRAFT
    PressReleaseFactory(title="Public release").partnerships.add(draft)
    response = client.get("/releases/?partnership=unsigned")
    assert b"Unknown partnership" in response.content
    assert b"Unsigned Pact" not in response.content

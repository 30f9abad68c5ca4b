"""The embargo leak matrix: every public channel, before and after the instant.

One scheduled release carries everything a channel could leak — a unique word
in its title and body, an issuing organisation, a topic, a partnership, a
public contact, a picture, a document, a bulletin and a topic of its own.  Before its instant
each channel must neither show the word nor serve the release's URLs; the
test then moves the clock past the instant (time-machine; the database is
real and nothing is written in between) and every channel must show it.

The preview-link channel is the exception by design: a partner's link shows
the release before the instant.  Afterwards it redirects to the public page,
and once the release is withdrawn or removed it shows nothing (410), whether
the transition revoked the link or the status changed some other way.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from bulletins.models import Bulletin, BulletinItem
from releases import workflow
from releases.models import PressRelease, ReleaseAttachment
from releases.renditions import RENDITIONS
from tests.factories import (
    MediaContactFactory,
    OrganisationFactory,
    PartnershipFactory,
    PressReleaseFactory,
    ReleaseImageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WORD = "Zyxwquorbanite"
#: A topic used by the embargoed release alone: it does not exist publicly
#: (no feed, an unknown filter) until the instant.
ONLY_TOPIC = "Quorbanite Only Topic"
ONLY_TOPIC_SLUG = "quorbanite-only-topic"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def embargoed(settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    instant = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=3)
    org = OrganisationFactory(name="Embargo Test Agency", slug="embargo-agency")
    partnership = PartnershipFactory(slug="embargo-partnership")
    contact = MediaContactFactory(organisation=org)
    release = PressReleaseFactory(
        title=f"{WORD} agreement signed",
        slug="zyxw-agreement",
        summary=f"The {WORD} agreement.",
        body=f"<p>{WORD} details.</p>",
        organisations=[org],
        contacts=[contact],
        tags=["embargo-topic", ONLY_TOPIC],
        publish_at=instant,
    )
    release.partnerships.add(partnership)
    image = ReleaseImageFactory(release=release)
    attachment = ReleaseAttachment.objects.create(
        release=release, title="Signed text", file=ContentFile(PDF, name="signed.pdf")
    )
    bulletin = Bulletin.objects.create(
        title="Media Update", slug="embargo-bulletin", date=instant.date(), organisation=org
    )
    BulletinItem.objects.create(bulletin=bulletin, release=release, order=0)
    # A published neighbour, so lists, feeds and the bulletin list are not empty.
    PressReleaseFactory(title="Already public news", organisations=[org], tags=["embargo-topic"])
    return {
        "instant": instant,
        "release": release,
        "image": image,
        "attachment": attachment,
        "org": org,
        "partnership": partnership,
    }


# Channels listing releases: the unique word is absent, then present.
LISTINGS = [
    "/",
    "/releases/",
    "/releases/?tag=embargo-topic",
    f"/search/?q={WORD}",
    "/feeds/releases.rss",
    "/feeds/releases.atom",
    "/feeds/organisations/embargo-agency.rss",
    "/feeds/tags/embargo-topic.atom",
    "/sitemap-releases.xml",
    "/organisations/embargo-agency/",
    "/partnerships/embargo-partnership/",
    "/api/v1/releases/",
    "/api/v1/releases/?organisation=embargo-agency",
    "/bulletins/",
]


def urls_of_the_release(data) -> list[str]:
    """Addresses that belong to the release alone: 404 before, 200 after."""
    release, image = data["release"], data["image"]
    return [
        release.get_absolute_url(),
        f"/api/v1/releases/{release.slug}/",
        *(image.url(rendition) for rendition in ("original", *RENDITIONS)),
        *(image.url(rendition, "webp") for rendition in RENDITIONS),
        data["attachment"].get_absolute_url(),
        reverse("releases:media_kit", kwargs={"slug": release.slug}),
        reverse("releases:contacts_vcard", kwargs={"slug": release.slug}),
        "/bulletins/embargo-bulletin/",
        "/bulletins/embargo-bulletin.txt",
        f"/feeds/tags/{ONLY_TOPIC_SLUG}.rss",
        f"/feeds/tags/{ONLY_TOPIC_SLUG}.atom",
    ]


def marker(url: str, data) -> bytes:
    """What gives the release away on a listing: a link to it (its slug; the
    search page echoes the query words, so the word itself cannot be the
    test), or on the bulletin list a link to the bulletin that holds it."""
    if url == "/bulletins/":
        return b"embargo-bulletin"
    return data["release"].slug.encode()


def test_nothing_leaks_before_the_instant_and_everything_shows_after(client, embargoed):
    before = {}
    for url in LISTINGS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert marker(url, embargoed) not in response.content, f"leaked early on {url}"
        before[url] = response.get("ETag")
    for url in urls_of_the_release(embargoed):
        assert client.get(url).status_code == 404, f"{url} answered before the embargo"

    with time_machine.travel(embargoed["instant"] + datetime.timedelta(seconds=1), tick=False):
        for url in LISTINGS:
            headers = {"HTTP_IF_NONE_MATCH": before[url]} if before[url] else {}
            response = client.get(url, **headers)
            assert response.status_code == 200, f"{url} still answers {response.status_code}"
            assert marker(url, embargoed) in response.content, f"missing after the instant: {url}"
        for url in urls_of_the_release(embargoed):
            assert client.get(url).status_code == 200, f"{url} not served after the embargo"


def test_a_topic_of_the_embargoed_release_alone_appears_at_the_instant(client, embargoed):
    """The topic's name is the leak: neither its feed nor the topic filter
    may name it before the instant (the filter calls it unknown)."""
    for url in (f"/releases/?tag={ONLY_TOPIC_SLUG}", f"/search/?tag={ONLY_TOPIC_SLUG}"):
        response = client.get(url)
        assert b"Unknown topic" in response.content, url
        assert ONLY_TOPIC.encode() not in response.content, url
    feed = client.get(f"/feeds/tags/{ONLY_TOPIC_SLUG}.rss")
    assert feed.status_code == 404
    assert ONLY_TOPIC.encode() not in feed.content

    with time_machine.travel(embargoed["instant"] + datetime.timedelta(seconds=1), tick=False):
        for url in (f"/releases/?tag={ONLY_TOPIC_SLUG}", f"/search/?tag={ONLY_TOPIC_SLUG}"):
            response = client.get(url)
            assert b"Unknown topic" not in response.content, url
            assert embargoed["release"].slug.encode() in response.content, url
        feed = client.get(f"/feeds/tags/{ONLY_TOPIC_SLUG}.rss")
        assert feed.status_code == 200
        assert ONLY_TOPIC.encode() in feed.content
        assert embargoed["release"].slug.encode() in feed.content


def test_one_second_before_the_instant_is_still_embargoed(client, embargoed):
    with time_machine.travel(embargoed["instant"] - datetime.timedelta(seconds=1), tick=False):
        assert client.get(embargoed["release"].get_absolute_url()).status_code == 404
        assert WORD.encode() not in client.get("/releases/").content


def _max_age(response) -> int | None:
    for part in response.get("Cache-Control", "").split(","):
        name, _, value = part.strip().partition("=")
        if name == "max-age":
            return int(value)
    return None


def test_cache_headers_neither_outlive_nor_reveal_the_instant(client, embargoed, settings):
    """The cache-header channel: a shared cache may not keep a listing past
    the instant, a 404 of the release's own addresses is never stored, and
    two looks at the same listing a little apart carry the same lifetime
    (a countdown would give the instant away)."""
    instant = embargoed["instant"]
    for seconds_before in (50, 20, 1):
        moment = instant - datetime.timedelta(seconds=seconds_before)
        with time_machine.travel(moment, tick=False):
            for url in LISTINGS:
                age = _max_age(client.get(url))
                if age is not None:
                    assert moment + datetime.timedelta(seconds=age) <= instant, (url, age)
                    # Two constants, never the seconds left: no countdown to read.
                    assert age in (0, settings.NEWSROOM_CACHE_MAX_AGE), (url, age)
            for url in urls_of_the_release(embargoed):
                response = client.get(url)
                assert response.status_code == 404, url
                assert "no-store" in response.get("Cache-Control", ""), url
    ages = set()
    for seconds_before in (3 * 3600 - 100, 3 * 3600 - 110):
        moment = instant - datetime.timedelta(seconds=seconds_before)
        with time_machine.travel(moment, tick=False):
            ages.add(client.get("/releases/").get("Cache-Control"))
    assert len(ages) == 1, ages


# The preview-link channel.


@pytest.fixture
def preview_link(embargoed):
    """A partner's link to the embargoed release, shared by someone who may."""
    sharer = UserFactory(username="matrix-sharer", is_staff=True, is_superuser=True)
    return workflow.create_preview_link(embargoed["release"], sharer)


def assert_link_shows_nothing(response) -> None:
    assert response.status_code == 410
    assert WORD.encode() not in response.content
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_a_preview_link_shows_the_release_until_the_instant_then_redirects(
    client, embargoed, preview_link
):
    response = client.get(preview_link.get_absolute_url())
    assert response.status_code == 200 and WORD.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    with time_machine.travel(embargoed["instant"] + datetime.timedelta(seconds=1), tick=False):
        response = client.get(preview_link.get_absolute_url())
        assert response.status_code == 302
        assert response["Location"] == embargoed["release"].get_absolute_url()


#: How the release left the public site: through the workflow (which revokes
#: its links) or by a status change that did not (older data, a data fix).
LEAVINGS = [
    ("withdraw", "workflow"),
    ("remove", "workflow"),
    ("withdraw", "status"),
    ("remove", "status"),
]


@pytest.mark.parametrize(("leaving", "route"), LEAVINGS)
def test_a_preview_link_shows_nothing_once_the_release_left_the_site(
    client, embargoed, preview_link, leaving, route
):
    release = embargoed["release"]
    with time_machine.travel(embargoed["instant"] + datetime.timedelta(minutes=5), tick=False):
        if route == "workflow":
            publisher = UserFactory(username="matrix-publisher", is_staff=True, is_superuser=True)
            if leaving == "withdraw":
                workflow.withdraw(release, publisher, explanation="Issued in error.")
            else:
                workflow.remove(release, publisher, reason="Issued in error.")
            preview_link.refresh_from_db()
            assert preview_link.revoked_at is not None
        else:
            status = PressRelease.Status.WITHDRAWN if leaving == "withdraw" else "removed"
            PressRelease.objects.filter(pk=release.pk).update(status=status)
        assert_link_shows_nothing(client.get(preview_link.get_absolute_url()))

"""RSS and Atom feeds: valid, public-only, dated, with categories."""

from __future__ import annotations

import datetime

import feedparser
import pytest
from django.utils import timezone

from newsroom.models import ContentVersion
from releases import workflow
from releases.feeds import FEED_SIZE
from releases.models import ChangeNote, PressRelease
from releases.roles import PUBLISHER
from tests.factories import OrganisationFactory, PressReleaseFactory
from tests.workflow.conftest import make_user

pytestmark = pytest.mark.django_db

FEEDS = [
    "/feeds/releases.rss",
    "/feeds/releases.atom",
    "/feeds/organisations/iom.rss",
    "/feeds/organisations/iom.atom",
    "/feeds/tags/floods.rss",
    "/feeds/tags/floods.atom",
]


@pytest.fixture
def releases(settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    iom = OrganisationFactory(name="IOM Pakistan", acronym="IOM", slug="iom")
    other = OrganisationFactory(slug="other")
    published = PressReleaseFactory(
        title="Flood relief & recovery <update>",
        summary="Relief reached 10,000 families.",
        organisations=[iom],
        tags=["Floods", "Sindh"],
        publish_at=timezone.now() - datetime.timedelta(days=2),
    )
    published.last_updated_at = timezone.now() - datetime.timedelta(hours=3)
    published.save()
    ChangeNote.objects.create(
        release=published,
        note="Corrected the number of districts.",
        created_at=published.last_updated_at,
    )
    PressReleaseFactory(title="Other org release", organisations=[other], tags=["Health"])
    hidden = [
        PressReleaseFactory(
            title="Embargoed floods",
            organisations=[iom],
            tags=["Floods"],
            publish_at=timezone.now() + datetime.timedelta(hours=1),
        ),
        PressReleaseFactory(
            title="Removed floods",
            organisations=[iom],
            tags=["Floods"],
            status=PressRelease.Status.REMOVED,
            publish_at=timezone.now() - datetime.timedelta(days=1),
        ),
        PressReleaseFactory(
            title="Withdrawn before its embargo floods",
            organisations=[iom],
            tags=["Floods"],
            status=PressRelease.Status.WITHDRAWN,
            publish_at=timezone.now() + datetime.timedelta(days=1),
        ),
        PressReleaseFactory(
            title="Draft floods",
            organisations=[iom],
            tags=["Floods"],
            status=PressRelease.Status.DRAFT,
            publish_at=None,
        ),
    ]
    withdrawn = PressReleaseFactory(
        title="Withdrawn floods",
        summary="Text that left the site.",
        organisations=[iom],
        tags=["Floods"],
        publish_at=timezone.now() - datetime.timedelta(days=3),
        status=PressRelease.Status.WITHDRAWN,
        withdrawn_at=timezone.now() - datetime.timedelta(hours=1),
        withdrawal_reason="The figures were superseded by the joint assessment.",
    )
    return {"published": published, "hidden": hidden, "withdrawn": withdrawn}


@pytest.mark.parametrize("url", FEEDS)
def test_feed_parses_and_holds_only_published(client, releases, url):
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    titles = [entry.title for entry in parsed.entries]
    expected = ["Flood relief & recovery <update>", "Withdrawn: Withdrawn floods"]
    if "/releases." in url:
        expected.insert(0, "Other org release")
    assert titles == expected
    for hidden in releases["hidden"]:
        assert hidden.title.encode() not in response.content
    entry = parsed.entries[-2]
    assert entry.link == f"https://news.example.org{releases['published'].get_absolute_url()}"
    assert {tag.term for tag in entry.tags} == {"Floods", "Sindh"}
    assert "Corrected the number of districts." in entry.summary


@pytest.mark.parametrize("url", ["/feeds/releases.rss", "/feeds/releases.atom"])
def test_feed_dates(client, releases, url):
    release = releases["published"]
    entry = feedparser.parse(client.get(url).content).entries[-2]
    published = datetime.datetime(*entry.published_parsed[:6], tzinfo=datetime.UTC)
    assert abs(published - release.first_published_at) < datetime.timedelta(seconds=1)
    if url.endswith(".atom"):
        updated = datetime.datetime(*entry.updated_parsed[:6], tzinfo=datetime.UTC)
        assert abs(updated - release.last_updated_at) < datetime.timedelta(seconds=1)


def test_all_releases_feed_lists_every_published(client, releases):
    parsed = feedparser.parse(client.get("/feeds/releases.rss").content)
    assert [e.title for e in parsed.entries] == [
        "Other org release",
        "Flood relief & recovery <update>",
        "Withdrawn: Withdrawn floods",
    ]


def test_unknown_organisation_or_tag_is_404(client, releases):
    assert client.get("/feeds/organisations/nope.rss").status_code == 404
    assert client.get("/feeds/tags/nope.atom").status_code == 404


@pytest.mark.parametrize(
    "url", ["/feeds/tags/%00.rss", "/feeds/tags/%ff.atom", "/feeds/tags/" + "x" * 5000 + ".rss"]
)
def test_hostile_feed_urls_are_404(client, url):
    assert client.get(url).status_code == 404


def test_embargo_lifts_into_the_feed(client, releases):
    embargoed = releases["hidden"][0]
    PressRelease.objects.filter(pk=embargoed.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    parsed = feedparser.parse(client.get("/feeds/tags/floods.rss").content)
    assert "Embargoed floods" in [e.title for e in parsed.entries]


def test_feed_query_count_is_fixed(client, django_assert_max_num_queries):
    orgs = [OrganisationFactory() for _ in range(3)]
    for i in range(15):
        release = PressReleaseFactory(title=f"Release {i}", organisations=orgs, tags=["a", "b"])
        ChangeNote.objects.create(release=release, note="Changed.")
        if i % 3 == 0:
            PressRelease.objects.filter(pk=release.pk).update(
                status=PressRelease.Status.WITHDRAWN, withdrawn_at=timezone.now()
            )
    # items + issuers + tags + change notes + images
    with django_assert_max_num_queries(5 + 1):  # + the content-state query
        response = client.get("/feeds/releases.atom")
    assert len(feedparser.parse(response.content).entries) == 15


def test_enclosure_uses_web_rendition_when_available(client, releases, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from releases.models import ReleaseImage

    def url(self, rendition: str) -> str:
        return f"/media-files/{self.pk}/{rendition}.jpg"

    image = ReleaseImage(
        release=releases["published"],
        alt_text="Families receiving kits",
        caption="Distribution",
        credit="© Example",
        is_lead=True,
    )
    image.image = SimpleUploadedFile("x.gif", b"GIF89a", content_type="image/gif")
    ReleaseImage.objects.bulk_create([image])  # no validation needed for this test
    monkeypatch.setattr(ReleaseImage, "url", url, raising=False)
    entry = feedparser.parse(client.get("/feeds/releases.rss").content).entries[-2]
    assert entry.enclosures[0].href.startswith("https://news.example.org/media-files/")
    assert entry.enclosures[0].type == "image/jpeg"


# -- a withdrawn release says so in the feeds it was in (issue 12, item 14) -------


@pytest.mark.parametrize("url", FEEDS)
def test_a_withdrawn_release_is_an_updated_entry_saying_so(client, releases, url):
    withdrawn = releases["withdrawn"]
    parsed = feedparser.parse(client.get(url).content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    entry = next(e for e in parsed.entries if e.title == "Withdrawn: Withdrawn floods")
    assert entry.link == f"https://news.example.org{withdrawn.get_absolute_url()}"
    assert "The figures were superseded by the joint assessment." in entry.summary
    assert "withdrawn on" in entry.summary
    assert "Text that left the site." not in entry.summary
    assert not entry.get("enclosures")  # its files answer 404 now
    if url.endswith(".atom"):
        updated = datetime.datetime(*entry.updated_parsed[:6], tzinfo=datetime.UTC)
        assert abs(updated - withdrawn.withdrawn_at) < datetime.timedelta(seconds=1)
    # The page it links to says it was withdrawn.
    page = client.get(withdrawn.get_absolute_url())
    assert page.status_code == 200
    assert "withdrawn" in page.text.lower()


def test_withdrawing_through_the_workflow_updates_the_feed_and_its_validators(client):
    release = PressReleaseFactory(
        title="Clinic opening", publish_at=timezone.now() - datetime.timedelta(days=1)
    )
    # The feed last changed an hour ago (HTTP dates count whole seconds).
    ContentVersion.objects.update(changed_at=timezone.now() - datetime.timedelta(hours=1))
    before = client.get("/feeds/releases.atom")
    assert [e.title for e in feedparser.parse(before.content).entries] == ["Clinic opening"]
    workflow.apply_transition(
        "withdraw", release, make_user(PUBLISHER, "publisher"), {"note": "Issued twice."}
    )
    after = client.get("/feeds/releases.atom")
    entry = feedparser.parse(after.content).entries[0]
    assert entry.title == "Withdrawn: Clinic opening"
    assert "Issued twice." in entry.summary
    assert after["ETag"] != before["ETag"]
    assert after["Last-Modified"] != before["Last-Modified"]
    # A conditional GET with the old validator gets the new feed, not a 304.
    again = client.get("/feeds/releases.atom", headers={"If-None-Match": before["ETag"]})
    assert again.status_code == 200
    # Removing it takes it out of every feed.
    workflow.apply_transition(
        "remove", release, make_user(PUBLISHER, "publisher2"), {"note": "Published in error."}
    )
    assert feedparser.parse(client.get("/feeds/releases.atom").content).entries == []


def test_a_withdrawn_entry_leaves_once_newer_releases_push_it_out(client, settings):
    old = timezone.now() - datetime.timedelta(days=60)
    PressReleaseFactory(
        title="Old withdrawn",
        publish_at=old,
        status=PressRelease.Status.WITHDRAWN,
        withdrawn_at=timezone.now(),
        withdrawal_reason="Superseded.",
    )
    for i in range(FEED_SIZE - 1):
        PressReleaseFactory(publish_at=old + datetime.timedelta(days=1, minutes=i))
    titles = [e.title for e in feedparser.parse(client.get("/feeds/releases.rss").content).entries]
    assert titles[-1] == "Withdrawn: Old withdrawn"
    PressReleaseFactory(publish_at=timezone.now() - datetime.timedelta(minutes=1))
    titles = [e.title for e in feedparser.parse(client.get("/feeds/releases.rss").content).entries]
    assert len(titles) == FEED_SIZE
    assert "Withdrawn: Old withdrawn" not in titles


def test_in_feeds_is_published_plus_withdrawn_never_removed_or_embargoed():
    now = timezone.now()
    past, future = now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=1)
    status = PressRelease.Status
    rows = {
        "live": PressReleaseFactory(publish_at=past),
        "withdrawn": PressReleaseFactory(status=status.WITHDRAWN, publish_at=past),
    }
    PressReleaseFactory(publish_at=future)
    PressReleaseFactory(status=status.WITHDRAWN, publish_at=future)
    PressReleaseFactory(status=status.REMOVED, publish_at=past)
    PressReleaseFactory(status=status.DRAFT, publish_at=None)
    assert set(PressRelease.objects.in_feeds(now)) == set(rows.values())


@pytest.mark.parametrize("url", FEEDS)
def test_item_ids_are_permanent_not_the_address(client, releases, settings, url):
    """Issue 19, item 4: a new slug or a new site address must not make a
    feed reader show the release twice."""
    settings.NEWSROOM_FEED_ID_AUTHORITY = "iom.example.int"
    release = PressRelease.objects.get(title__startswith="Flood relief")
    before = {entry.id for entry in feedparser.parse(client.get(url).content).entries}
    created = timezone.localdate(release.created_at).isoformat()
    expected = f"tag:iom.example.int,{created}:release/{release.pk}"
    assert expected in before
    PressRelease.objects.filter(pk=release.pk).update(slug="flood-relief-renamed")
    settings.NEWSROOM_SITE_URL = "https://newsroom.example.int"
    from django.core.cache import cache

    cache.clear()
    after = feedparser.parse(client.get(url).content)
    assert {entry.id for entry in after.entries} == before
    entry = next(e for e in after.entries if e.id == expected)
    assert entry.link.endswith("/flood-relief-renamed/")
    if url.endswith(".rss"):
        assert 'isPermaLink="false"' in client.get(url).content.decode()


@pytest.mark.parametrize("url", FEEDS)
def test_the_self_link_states_its_type(client, releases, url):
    feed = feedparser.parse(client.get(url).content)
    self_links = [link for link in feed.feed.links if link.rel == "self"]
    assert len(self_links) == 1
    kind = "rss" if url.endswith(".rss") else "atom"
    assert self_links[0].type == f"application/{kind}+xml"

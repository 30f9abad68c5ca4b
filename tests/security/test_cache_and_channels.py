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
import math
import re
from functools import partial

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from contacts.models import Partnership
from core.http import NEAR_EMBARGO_MAX_AGE, public_max_age
from releases import workflow
from releases.models import ChangeNote, PressRelease, ReleaseContact, ReleaseOrganisation
from releases.roles import PUBLISHER, sync_roles
from tests.factories import (
    MediaContactFactory,
    OrganisationFactory,
    PartnershipFactory,
    PressReleaseFactory,
    ReleaseImageFactory,
    UserFactory,
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


# 6. Lifetimes: never past an instant, never a countdown to it -----------------

#: Every kind of public answer: pages, feeds, sitemaps and the API.
CACHED_URLS = [
    "/",
    "/releases/",
    "/feeds/releases.rss",
    "/sitemap.xml",
    "/sitemap-releases.xml",
    "/api/v1/releases/",
]


@pytest.fixture
def clock(settings):
    """A start time well in the future (nothing the factories make is near it)
    and off any round minute."""
    settings.NEWSROOM_CACHE_MAX_AGE = CEILING
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1, seconds=17)
    PressReleaseFactory(title="Already public")
    return start


def _schedule_at(instant: datetime.datetime) -> PressRelease:
    return PressReleaseFactory(title="Embargoed", publish_at=instant)


def test_cache_control_does_not_count_down_to_an_embargo(client, clock):
    """The old header said ``max-age=45`` 45 s before an instant, then 35…:
    the instant was written on every page.  Now two requests ten seconds
    apart, and two different instants, give the same header."""
    release = _schedule_at(clock + datetime.timedelta(seconds=45))
    seen: dict[str, set[str]] = {url: set() for url in CACHED_URLS}
    for instant_offset in (45, 52):
        PressRelease.objects.filter(pk=release.pk).update(
            publish_at=clock + datetime.timedelta(seconds=instant_offset)
        )
        for request_offset in (0, 10):
            with time_machine.travel(
                clock + datetime.timedelta(seconds=request_offset), tick=False
            ):
                for url in CACHED_URLS:
                    seen[url].add(client.get(url)["Cache-Control"])
    for url, headers in seen.items():
        assert len(headers) == 1, (url, headers)


@pytest.mark.parametrize("url", CACHED_URLS)
def test_far_from_any_embargo_the_lifetime_is_the_ceiling(client, clock, url):
    _schedule_at(clock + datetime.timedelta(hours=3))
    with time_machine.travel(clock, tick=False):
        assert client.get(url)["Cache-Control"] == f"public, max-age={CEILING}"


def test_the_api_lifetime_is_cut_before_an_embargo(client, clock):
    """The API said ``max-age=60`` 43 s before an instant."""
    instant = clock + datetime.timedelta(seconds=43)
    _schedule_at(instant)
    with time_machine.travel(clock, tick=False):
        response = client.get("/api/v1/releases/")
    assert clock + datetime.timedelta(seconds=max_age(response)) <= instant


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    instant_ms=st.integers(min_value=1, max_value=400_000),
    lead_ms=st.integers(min_value=1, max_value=400_000),
)
def test_no_public_answer_outlives_an_embargo_instant(client, clock, instant_ms, lead_ms):
    """Property: wherever the instant and the request fall, a shared cache
    may keep the answer only until the instant, and the header is one of two
    constants (nothing to read the instant from)."""
    instant = clock + datetime.timedelta(milliseconds=instant_ms)
    now = instant - datetime.timedelta(milliseconds=lead_ms)
    release = PressRelease.objects.filter(title="Embargoed").first() or _schedule_at(instant)
    PressRelease.objects.filter(pk=release.pk).update(publish_at=instant)
    with time_machine.travel(now, tick=False):
        for url in CACHED_URLS:
            response = client.get(url)
            assert response["Cache-Control"] in {
                f"public, max-age={CEILING}",
                "public, max-age=0",
            }, url
            if now < instant:
                assert now + datetime.timedelta(seconds=max_age(response)) <= instant, url


@given(
    now=st.floats(min_value=0, max_value=4e9, allow_nan=False),
    lead=st.floats(min_value=0.001, max_value=1e4, allow_nan=False),
    other=st.floats(min_value=0, max_value=1, exclude_max=True),
    ceiling=st.integers(min_value=1, max_value=3600),
)
def test_the_lifetime_rule_tells_at_most_the_cell_of_the_instant(now, lead, other, ceiling):
    """``public_max_age`` alone: never past the instant, one of two values,
    and the same for any two instants in one cell of ``ceiling`` seconds."""
    at = partial(datetime.datetime.fromtimestamp, tz=datetime.UTC)
    instant = now + lead
    answer = public_max_age(at(now), at(instant), ceiling)
    assert answer in {ceiling, NEAR_EMBARGO_MAX_AGE}
    assert now + answer <= instant
    neighbour = (math.floor(instant / ceiling) + other) * ceiling  # same cell
    if neighbour > now:
        assert public_max_age(at(now), at(neighbour), ceiling) == answer


def test_a_page_from_the_page_cache_gets_the_lifetime_of_the_moment(client, settings):
    """A page stored far from an instant carried ``max-age=60``; served from
    the page cache 50 s later it must not carry that lifetime any more."""
    settings.NEWSROOM_CACHE_MAX_AGE = CEILING
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"},
    }
    settings.NEWSROOM_PAGE_CACHE = "pages"
    caches["pages"].clear()
    day_ahead = (timezone.now() + datetime.timedelta(days=1)).timestamp()
    cell = datetime.datetime.fromtimestamp(math.ceil(day_ahead / CEILING) * CEILING, datetime.UTC)
    instant = cell + datetime.timedelta(seconds=100)
    _schedule_at(instant)
    with time_machine.travel(cell + datetime.timedelta(seconds=1), tick=False):
        assert client.get("/releases/")["X-Newsroom-Cache"] == "miss"
    later = cell + datetime.timedelta(seconds=50)
    with time_machine.travel(later, tick=False):
        response = client.get("/releases/")
    assert response["X-Newsroom-Cache"] == "hit"
    assert later + datetime.timedelta(seconds=max_age(response)) <= instant


def test_a_memo_does_not_stretch_a_lifetime_past_another_workers_schedule(client, clock, settings):
    """Worker A remembers the state (no embargo ahead); worker B schedules a
    release one ceiling ahead.  A's memo must not send a lifetime that a
    fresh read at the memo's instant would not have sent: it may not reach
    past B's instant."""
    settings.NEWSROOM_STATE_TTL = 1
    release = PressReleaseFactory(status=Status.APPROVED, publish_at=None)
    with time_machine.travel(clock, tick=False):
        client.get("/releases/")  # the memo is taken
    scheduled_at = clock + datetime.timedelta(milliseconds=500)
    instant = scheduled_at + datetime.timedelta(seconds=CEILING)
    # Another process: its write sends no signal in this one, so the memo stays.
    PressRelease.objects.filter(pk=release.pk).update(status=Status.PUBLISHED, publish_at=instant)
    now = clock + datetime.timedelta(milliseconds=900)
    with time_machine.travel(now, tick=False):
        response = client.get("/releases/")
    assert now + datetime.timedelta(seconds=max_age(response)) <= instant


# 7. Staff activity does not show from outside ---------------------------------

PUBLIC_PAGES = ["/", "/releases/", "/feeds/releases.rss"]


def _publisher():
    user = UserFactory(username="publisher", is_staff=True)
    group = Group.objects.filter(name=PUBLISHER).first()
    if group is None:
        sync_roles(apps)
        group = Group.objects.get(name=PUBLISHER)
    user.groups.add(group)
    return user


def test_work_on_unpublished_releases_moves_no_public_validator(client):
    PressReleaseFactory(title="Public news")
    org, contact = OrganisationFactory(), MediaContactFactory()
    draft = PressReleaseFactory(status=Status.DRAFT, publish_at=None, tags=["Draft topic"])
    picture = ReleaseImageFactory(release=draft)
    scheduled = PressReleaseFactory(publish_at=timezone.now() + datetime.timedelta(days=1))
    approved = PressReleaseFactory(status=Status.APPROVED, publish_at=None)
    publisher = _publisher()
    before = {url: validators(client, url) for url in PUBLIC_PAGES}

    # A later second, so that a moved Last-Modified would show.
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5), tick=False):
        draft.title = "Draft, edited"
        draft.save()
        picture.caption = "A new caption"
        picture.save()
        draft.tags.add("Second draft topic")
        draft.tags.remove("Draft topic")
        ReleaseOrganisation.objects.create(release=draft, organisation=org)
        ReleaseContact.objects.create(release=draft, contact=contact)
        ChangeNote.objects.create(release=draft, note="Not public.")
        scheduled.title = "Scheduled, edited"
        scheduled.save()
        scheduled.tags.add("Scheduled topic")
        workflow.schedule(
            approved, publisher, publish_at=timezone.now() + datetime.timedelta(days=2)
        )
        workflow.unschedule(PressRelease.objects.get(pk=approved.pk), publisher)
        picture.delete()
        draft.delete()
        after = {url: validators(client, url) for url in PUBLIC_PAGES}
    assert after == before


def test_an_edit_of_a_scheduled_release_shows_when_it_goes_public(client):
    instant = timezone.now() + datetime.timedelta(hours=1)
    scheduled = PressReleaseFactory(title="First words", publish_at=instant)
    etag = client.get("/releases/")["ETag"]
    scheduled.title = "Final words"
    scheduled.save()
    with time_machine.travel(instant + datetime.timedelta(seconds=1), tick=False):
        response = client.get("/releases/", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200
        assert b"Final words" in response.content


def test_a_schedule_in_this_worker_is_not_hidden_by_its_memo(client, settings):
    """A schedule moves no version (it is not public), but this worker's memo
    of the state must still learn the new instant, or it would answer 304s
    after it."""
    settings.NEWSROOM_STATE_TTL = 3600
    approved = PressReleaseFactory(title="Soon public", status=Status.APPROVED, publish_at=None)
    etag = client.get("/releases/")["ETag"]  # the memo is taken
    instant = timezone.now() + datetime.timedelta(seconds=30)
    workflow.schedule(approved, _publisher(), publish_at=instant)
    with time_machine.travel(instant + datetime.timedelta(seconds=1), tick=False):
        response = client.get("/releases/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert b"Soon public" in response.content


def test_public_changes_still_move_the_validators(client):
    public = PressReleaseFactory(title="Public news", tags=["Floods"])
    org = OrganisationFactory()
    start = timezone.now()
    changes = (
        lambda: setattr(public, "title", "Public news, corrected") or public.save(),
        lambda: public.tags.add("Rescue"),
        lambda: ReleaseImageFactory(release=public),
        lambda: setattr(org, "name", "Renamed Agency") or org.save(),
        lambda: public.delete(),
    )
    for step, change in enumerate(changes):
        with time_machine.travel(start + datetime.timedelta(seconds=5 * step), tick=False):
            before = validators(client, "/releases/")
        with time_machine.travel(start + datetime.timedelta(seconds=5 * step + 3), tick=False):
            change()
            after = validators(client, "/releases/")
        assert after[0] != before[0]
        assert after[1] != before[1]


# 10. Deletions move the API's validators --------------------------------------


@pytest.mark.parametrize(
    ("url", "factory", "field"),
    [
        ("/api/v1/releases/", PressReleaseFactory, "slug"),
        ("/api/v1/organisations/", OrganisationFactory, "slug"),
        ("/api/v1/contacts/", MediaContactFactory, "name"),
        ("/api/v1/partnerships/", PartnershipFactory, "slug"),
    ],
)
def test_a_deletion_is_no_stale_304_in_the_api(client, url, factory, field):
    """Publish, read with validators, delete: the conditional GET must be a
    200 without the deleted row (a stale 304 kept it in every harvester).
    A newer row stays, so nothing left in the table dates the deletion."""
    doomed = factory(**{field: "doomed-row"})
    factory(**{field: "surviving-row"})
    first = client.get(url)
    assert b"doomed-row" in first.content
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5), tick=False):
        doomed.delete()
        response = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 200
    assert b"doomed-row" not in response.content
    assert b"surviving-row" in response.content

"""Vetted journalists on a media list get the press room's advance notice as
their copy, once; everyone else gets the ordinary copy at the instant.
Through the real SMTP server."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
import time_machine
from django.utils import timezone

from medialists import audience, plans, sending
from medialists.models import Recipient
from pressroom.models import AdvanceNotice
from releases import workflow
from tests.medialists.conftest import fixed_list, person
from tests.pressroom.support import embargoed_release, make_journalist, open_access

pytestmark = pytest.mark.django_db
Status = Recipient.Status


@pytest.fixture
def cast():
    vetted = make_journalist("vera", beats=("Floods",))
    elsewhere = make_journalist("otto", beats=("Energy",))
    pending = make_journalist("pia", beats=("Floods",), status="pending")
    people = {
        # The same person as the journalist account: the e-mail, whatever its case.
        "vetted": person("Vera Vetted", "VERA@Example.NET"),
        "elsewhere": person("Otto Outside", elsewhere.user.email),
        "pending": person("Pia Pending", pending.user.email),
        "plain": person("Pat Plain", "pat@example.org"),
    }
    return vetted, people, fixed_list("Floods desk", list(people.values()))


def _arrived(smtp) -> Counter:
    return Counter(
        (m["X-Envelope-To"], m["Subject"].startswith("EMBARGOED")) for m in smtp.messages
    )


def test_a_vetted_journalist_gets_the_advance_notice_and_no_second_copy(
    cast, smtp, publisher, django_capture_on_commit_callbacks
):
    vetted, people, media_list = cast
    release = embargoed_release(hours=2, title="Delta flood plan", tags=("Floods",))
    open_access(release, beats=("Floods",))
    outcome = audience.audience(release.pk, [media_list])
    assert set(outcome.advance) == {people["vetted"].pk}
    assert outcome.advance[people["vetted"].pk] == vetted
    with django_capture_on_commit_callbacks(execute=True):
        distribution, _ = plans.plan(release, [media_list], "", publisher)
    # Before the instant: the notice only, to the vetted journalist only.
    assert _arrived(smtp) == {("vera@example.net", True): 1}
    assert AdvanceNotice.objects.get(release=release).status == AdvanceNotice.Status.SENT
    row = Recipient.objects.get(distribution=distribution, person=people["vetted"])
    assert row.status == Status.ADVANCE
    report = sending.report(distribution)
    assert (report["advance"], report["left"], report["queued"]) == (1, 1, 3)

    with time_machine.travel(release.publish_at + datetime.timedelta(seconds=1)):
        result = sending.send_release_copies(release.pk)
        assert result["advance"] == 1
        assert result["sent"] == 3
        # A second run, the sweep: nothing more.
        sending.send_release_copies(release.pk)
    assert _arrived(smtp) == {
        ("vera@example.net", True): 1,
        ("otto@example.net", False): 1,  # vetted, but outside the access's beats
        ("pia@example.net", False): 1,  # not approved: no advance notice
        ("pat@example.org", False): 1,
    }
    report = sending.report(distribution)
    assert (report["advance"], report["sent"], report["left"], report["queued"]) == (1, 3, 4, 0)


def test_without_advance_access_everyone_waits_for_the_instant(
    cast, smtp, publisher, django_capture_on_commit_callbacks
):
    _, _, media_list = cast
    release = embargoed_release(hours=2, tags=("Floods",))
    with django_capture_on_commit_callbacks(execute=True):
        _, outcome = plans.plan(release, [media_list], "", publisher)
    assert outcome.advance == {}
    assert smtp.messages == []
    with time_machine.travel(release.publish_at + datetime.timedelta(seconds=1)):
        sending.send_release_copies(release.pk)
    assert _arrived(smtp)[("vera@example.net", False)] == 1
    assert len(smtp.messages) == 4


def test_a_notice_that_never_went_becomes_the_ordinary_copy_at_the_new_instant(
    cast, smtp, publisher, django_capture_on_commit_callbacks
):
    """Access opening later, then the release rescheduled: access closes, the
    notice never goes, and the journalist gets the ordinary copy instead."""
    _, people, media_list = cast
    release = embargoed_release(hours=5, tags=("Floods",))
    open_access(release, opens_at=timezone.now() + datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        _, outcome = plans.plan(release, [media_list], "", publisher)
    assert set(outcome.advance) == {people["vetted"].pk, people["elsewhere"].pk}
    assert smtp.messages == []  # access not open yet
    new_instant = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=3)
    release = workflow.unschedule(release, publisher, note="Moved.")
    workflow.schedule(release, publisher, publish_at=new_instant)
    with time_machine.travel(new_instant + datetime.timedelta(seconds=1)):
        sending.send_release_copies(release.pk)
    assert Counter(m["X-Envelope-To"] for m in smtp.messages) == {
        e: 1 for e in ("vera@example.net", "otto@example.net", "pia@example.net", "pat@example.org")
    }
    assert not any(m["Subject"].startswith("EMBARGOED") for m in smtp.messages)


def test_a_journalist_the_press_room_told_on_its_own_gets_no_second_copy(
    cast, smtp, publisher, django_capture_on_commit_callbacks
):
    """Planned before access was granted (a queued copy); the press room then
    tells them itself: at the instant their queued copy does not go."""
    from pressroom import notices

    _, people, media_list = cast
    release = embargoed_release(hours=2, tags=("Floods",))
    with django_capture_on_commit_callbacks(execute=True):
        plans.plan(release, [media_list], "", publisher)
    open_access(release, beats=("Floods",))
    notices.send_notices(release.pk)
    with time_machine.travel(release.publish_at + datetime.timedelta(seconds=1)):
        sending.send_release_copies(release.pk)
    assert _arrived(smtp)[("vera@example.net", True)] == 1
    assert _arrived(smtp)[("vera@example.net", False)] == 0
    assert len(smtp.messages) == 4
    assert Recipient.objects.get(person=people["vetted"]).status == Status.ADVANCE


def test_the_send_page_says_who_gets_the_advance_notice(cast, client, publisher):
    _, _, media_list = cast
    release = embargoed_release(hours=2, tags=("Floods",))
    open_access(release, beats=("Floods",))
    client.force_login(publisher)
    page = client.post(
        f"/admin/medialists/distribution/send/{release.pk}/",
        {"lists": [media_list.pk], "note": "", "preview": "1"},
    ).content.decode()
    assert page.count("advance notice (vetted journalist)") == 1
    row = page[page.index("Vera Vetted") :]
    assert row.index("advance notice (vetted journalist)") < row.index("</tr>")
    assert "at the embargo instant" in page[page.index("Pat Plain") :]


def test_access_opening_after_the_send_tells_them_at_the_opening_then_nothing_more(
    cast, smtp, publisher, django_capture_on_commit_callbacks
):
    """Planned before the opening: the press room's sweep before the opening
    must not cancel their notice, and at the opening it goes."""
    from pressroom import notices

    _, people, media_list = cast
    release = embargoed_release(hours=5, tags=("Floods",))
    opens = timezone.now() + datetime.timedelta(hours=1)
    open_access(release, opens_at=opens, beats=("Floods",))
    with django_capture_on_commit_callbacks(execute=True):
        _, outcome = plans.plan(release, [media_list], "", publisher)
    assert set(outcome.advance) == {people["vetted"].pk}
    notices.run_sweep(timezone.now())  # before the opening: nothing, nothing cancelled
    assert smtp.messages == []
    with time_machine.travel(opens + datetime.timedelta(minutes=1)):
        notices.run_sweep(timezone.now())
    assert _arrived(smtp) == {("vera@example.net", True): 1}
    with time_machine.travel(release.publish_at + datetime.timedelta(seconds=1)):
        sending.send_release_copies(release.pk)
    assert _arrived(smtp)[("vera@example.net", True)] == 1
    assert _arrived(smtp)[("vera@example.net", False)] == 0
    assert len(smtp.messages) == 4

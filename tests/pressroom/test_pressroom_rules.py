"""pressroom.rules: which trusted journalist may read which release, and when."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from pressroom import rules
from releases.models import PressRelease
from tests.pressroom.support import embargoed_release, make_journalist, open_access

pytestmark = pytest.mark.django_db
Status = PressRelease.Status


def test_off_by_default_nobody_reads_before_the_instant():
    release = embargoed_release()
    journalist = make_journalist("ayesha", beats=("Health",))
    assert not rules.may_read(journalist, release)
    assert list(rules.embargoed_for(journalist)) == []


def test_open_to_every_trusted_journalist_when_no_limit_is_set():
    release = embargoed_release()
    open_access(release)
    journalist = make_journalist("ayesha")
    assert rules.may_read(journalist, release)
    assert list(rules.embargoed_for(journalist)) == [release]


def test_not_before_the_opening_time():
    release = embargoed_release(hours=48)
    open_access(release, opens_at=timezone.now() + datetime.timedelta(hours=1))
    journalist = make_journalist("ayesha")
    assert not rules.may_read(journalist, release)
    later = timezone.now() + datetime.timedelta(hours=2)
    assert rules.may_read(journalist, release, later)
    assert list(rules.embargoed_for(journalist, later)) == [release]


def test_after_the_instant_it_is_no_longer_embargoed_reading_but_the_public_page():
    release = embargoed_release(hours=1)
    open_access(release)
    journalist = make_journalist("ayesha")
    after = release.publish_at + datetime.timedelta(seconds=1)
    assert not rules.may_read(journalist, release, after)
    assert PressRelease.objects.published(after).filter(pk=release.pk).exists()


@pytest.mark.parametrize(
    ("beats", "outlet", "named", "expected"),
    [
        (("Health",), "Any Paper", False, True),  # a beat matches
        (("Energy",), "Any Paper", False, False),  # outside the beats
        ((), "Any Paper", False, False),  # no beats at all
        (("Energy",), "The Daily Example", False, True),  # the outlet matches
        (("Energy",), "Any Paper", True, True),  # named
    ],
)
def test_limits_any_one_match_is_enough(beats, outlet, named, expected):
    release = embargoed_release(tags=("Health",))
    journalist = make_journalist("ayesha", beats=beats, outlet=outlet)
    open_access(
        release,
        beats=("Health",),
        outlets="the daily example\nAnother Outlet",
        journalists=(journalist,) if named else (),
    )
    assert rules.may_read(journalist, release) is expected
    assert (release in rules.embargoed_for(journalist)) is expected


@pytest.mark.parametrize(
    "change",
    ["withdrawn", "sent back", "unscheduled", "rescheduled later", "rescheduled earlier"],
)
def test_a_release_withdrawn_sent_back_or_rescheduled_is_closed(change):
    release = embargoed_release(hours=24)
    open_access(release)
    journalist = make_journalist("ayesha")
    assert rules.may_read(journalist, release)
    if change == "withdrawn":
        release.status = Status.WITHDRAWN
    elif change == "sent back":
        release.status = Status.DRAFT
    elif change == "unscheduled":
        release.status, release.publish_at = Status.APPROVED, None
    elif change == "rescheduled later":
        release.publish_at += datetime.timedelta(days=7)
    else:
        release.publish_at -= datetime.timedelta(hours=1)
    release.save()
    assert not rules.may_read(journalist, release)
    assert list(rules.embargoed_for(journalist)) == []


def test_nobody_without_a_trusted_journalist():
    release = embargoed_release()
    open_access(release)
    assert not rules.may_read(None, release)
    assert list(rules.embargoed_for(None)) == []


def test_audience_is_the_trusted_journalists_within_the_limits():
    release = embargoed_release(tags=("Health",))
    open_access(release, beats=("Health",))
    within = make_journalist("within", beats=("Health",))
    make_journalist("outside", beats=("Energy",))
    make_journalist("pending", beats=("Health",), status="pending")
    make_journalist("no_agreement", beats=("Health",), accepted=False)
    make_journalist("suspended", beats=("Health",), status="suspended")
    assert rules.audience(release) == [within]


def test_the_demo_has_a_release_open_in_the_press_room():
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    journalist = make_journalist("demo_reader")
    (release,) = rules.embargoed_for(journalist)
    assert PressRelease.objects.scheduled().filter(pk=release.pk).exists()

"""Advance-notice e-mails through a real SMTP server: who, when, exactly once."""

from __future__ import annotations

import datetime
import threading

import pytest
import time_machine
from django.utils import timezone

from alerts import tasks as alerts_tasks
from alerts.models import Suppression
from pressroom import notices
from pressroom.models import AdvanceNotice
from releases.models import PressRelease
from tests.alerts.support import text_part
from tests.pressroom.support import embargoed_release, make_journalist, open_access

pytestmark = pytest.mark.django_db
Status = AdvanceNotice.Status


@pytest.fixture
def release():
    release = embargoed_release(title="Flood relief plan for the delta", tags=("Floods",))
    open_access(release, beats=("Floods",))
    return release


def test_one_notice_per_journalist_within_the_beats_marked_embargoed(smtp, release):
    within = make_journalist("within", beats=("Floods",))
    make_journalist("outside", beats=("Energy",))
    make_journalist("pending", beats=("Floods",), status="pending")
    make_journalist("unsigned", beats=("Floods",), accepted=False)
    result = notices.send_notices(release.pk)
    assert result["sent"] == 1
    assert len(smtp.messages) == 1
    (message,) = smtp.to(within.user.email)
    assert message["Subject"].startswith("EMBARGOED until ")
    assert release.title in message["Subject"]
    body = text_part(message)
    assert body.startswith("EMBARGOED UNTIL ")
    assert "not for publication or broadcast before then" in body
    assert f"https://news.example.org/releases/{release.slug}/" in body
    # A second run, the sweep: nothing more.
    assert notices.send_notices(release.pk)["sent"] == 0
    notices.run_sweep(timezone.now())
    assert len(smtp.messages) == 1
    assert AdvanceNotice.objects.get().status == Status.SENT


def test_suppressed_addresses_are_skipped(smtp, release):
    journalist = make_journalist("bounced", beats=("Floods",))
    Suppression.objects.create(email=journalist.user.email, reason="bounced")
    assert notices.send_notices(release.pk)["suppressed"] == 1
    assert smtp.messages == []
    assert AdvanceNotice.objects.get().status == Status.SUPPRESSED


@pytest.mark.parametrize("change", ["withdrawn", "rescheduled", "sent back"])
def test_a_release_closed_before_the_notice_time_sends_nothing(smtp, release, change):
    make_journalist("within", beats=("Floods",))
    if change == "withdrawn":
        release.status = PressRelease.Status.WITHDRAWN
    elif change == "rescheduled":
        release.publish_at += datetime.timedelta(days=3)
    else:
        release.status = PressRelease.Status.DRAFT
    release.save()
    assert notices.send_notices(release.pk) == {"skipped": "not open"}
    notices.run_sweep(timezone.now())
    assert smtp.messages == []


def test_not_before_the_opening_time_then_the_sweep_sends(smtp):
    release = embargoed_release(hours=48, tags=("Floods",))
    opens = timezone.now() + datetime.timedelta(hours=1)
    open_access(release, opens_at=opens)
    make_journalist("within", beats=("Floods",))
    notices.run_sweep(timezone.now())
    assert smtp.messages == []
    with time_machine.travel(opens + datetime.timedelta(seconds=1), tick=False):
        result = alerts_tasks.run_sweep()
    assert result["pressroom"]["notices_sent"] == 1
    assert len(smtp.messages) == 1


def test_two_senders_at_once_send_each_notice_once(smtp, release, transactional_db):
    for n in range(4):
        make_journalist(f"reporter_{n}", beats=("Floods",))
    from django.db import connection

    errors: list[Exception] = []

    def run() -> None:
        try:
            notices.send_notices(release.pk)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    recipients = sorted(m["X-Envelope-To"] for m in smtp.messages)
    assert len(recipients) == 4 == len(set(recipients))


def test_a_dead_workers_claim_is_never_sent_again(smtp, release):
    journalist = make_journalist("within", beats=("Floods",))
    AdvanceNotice.objects.create(
        release=release,
        journalist=journalist,
        status=Status.SENDING,
        claimed_at=timezone.now() - datetime.timedelta(minutes=11),
    )
    result = notices.run_sweep(timezone.now())
    assert result["notices_unknown"] == 1
    assert smtp.messages == []

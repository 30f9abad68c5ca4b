"""A digest that fails to send is retried by the sweep: not lost, not sent twice.

The SMTP server (aiosmtpd) answers ``451`` as a busy server would; the
sweep runs the digest task in-process (the immediate backend).
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from alerts import delivery
from alerts.models import Delivery, Subscription
from alerts.tasks import run_sweep
from releases.models import PressRelease
from tests.alerts.support import follow, text_part
from tests.factories import PressReleaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_digest(settings) -> Subscription:
    """A daily digest due an hour ago, with three releases waiting."""
    settings.ALERTS_MAX_RETRIES = 1
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    subscription = follow("d@example.org", frequency="daily", confirmed_at=two_days_ago)
    subscription.subscriber.time_zone = "UTC"
    subscription.subscriber.save()
    subscription.digest_hour = (timezone.now() - datetime.timedelta(hours=1)).hour
    subscription.save()
    for title in ("One", "Two", "Three"):
        PressReleaseFactory(title=title)
    return subscription


def test_a_digest_that_failed_goes_with_the_next_sweep_once(smtp, due_digest):
    smtp.replies = ["451 4.3.0 busy, try later"] * 2  # the first try and its one retry
    assert run_sweep()["digests"] == 1
    assert smtp.messages == []
    rows = Delivery.objects.filter(kind="digest")
    assert set(rows.values_list("status", flat=True)) == {"queued"}
    (key,) = set(rows.values_list("digest_key", flat=True))
    assert key.startswith(f"digest:{due_digest.subscriber_id}:")

    # The next sweep sends the same digest: the same three releases, once.
    assert run_sweep()["digests"] == 1
    (message,) = smtp.messages
    assert message["Subject"] == "Newsroom: 3 new press releases"
    assert set(rows.values_list("status", flat=True)) == {"sent"}
    assert set(rows.values_list("digest_key", flat=True)) == {key}

    # Nothing is left to retry, and the period's digest is not due again.
    assert run_sweep()["digests"] == 0
    assert delivery.send_digest(due_digest.subscriber_id)["sent"] == 0
    assert len(smtp.messages) == 1


def test_a_digest_left_by_a_worker_that_died_goes_once_with_one_message_id(smtp, due_digest):
    smtp.replies = ["451 4.3.0 busy"] * 2
    run_sweep()
    rows = Delivery.objects.filter(kind="digest")
    # A worker claims the retry and is killed before the hand-over: the
    # server has nothing, and after the lease the digest goes, once.
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    rows.update(status="claimed", claimed_at=an_hour_ago, lease_until=an_hour_ago)
    assert run_sweep()["claims_requeued"] == 3
    (message,) = smtp.messages
    assert set(rows.values_list("status", flat=True)) == {"sent"}
    assert set(rows.values_list("in_doubt", flat=True)) == {0}
    # Killed after the hand-over instead: in doubt, sent again with the same id.
    rows.update(status="sending", lease_until=an_hour_ago)
    assert run_sweep()["in_doubt_resent"] == 3
    assert [m["Message-ID"] for m in smtp.messages] == [message["Message-ID"]] * 2
    assert set(rows.values_list("status", flat=True)) == {"sent"}
    assert run_sweep()["digests"] == 0


def test_a_release_withdrawn_before_the_retry_is_left_out(smtp, due_digest):
    smtp.replies = ["451 4.3.0 busy"] * 2
    run_sweep()
    PressRelease.objects.filter(title="Two").update(status="withdrawn")
    run_sweep()
    (message,) = smtp.messages
    assert message["Subject"] == "Newsroom: 2 new press releases"
    lines = text_part(message).splitlines()
    assert "One" in lines and "Three" in lines and "Two" not in lines
    withdrawn = Delivery.objects.get(kind="digest", release__title="Two")
    assert (withdrawn.status, withdrawn.error) == ("failed", "no longer public")

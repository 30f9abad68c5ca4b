"""Hard and soft bounces, with a real SMTP server answering as a mail server
would: ``550 5.1.1`` to ``RCPT TO`` for an address that does not exist,
``452 4.2.2`` for a full mailbox, ``554 5.7.1`` for a message it dislikes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from alerts import delivery
from alerts.models import Delivery, Subscriber, Suppression
from releases import workflow
from releases.models import PressRelease
from tests.alerts.support import follow
from tests.factories import PressReleaseFactory

pytestmark = pytest.mark.django_db
GONE, FULL, FINE = "gone@example.org", "full@example.org", "fine@example.org"


@pytest.fixture
def publish(db):
    boss = User.objects.create_superuser("boss", "boss@example.org", "x")

    def publish_one() -> PressRelease:
        release = PressReleaseFactory(status=PressRelease.Status.APPROVED, publish_at=None)
        workflow.publish(release, boss)
        return release

    return publish_one


def status_of(release: PressRelease, email: str) -> str:
    return Delivery.objects.get(release=release, subscriber__email=email).status


def test_a_5xx_to_rcpt_is_a_hard_bounce_that_suppresses_the_address_everywhere(smtp, publish):
    follow(GONE)
    follow(GONE, {"q": "water"})
    follow(FINE)
    smtp.rcpt_replies = {GONE: "550 5.1.1 <gone@example.org>: No such user here"}
    first = publish()
    counts = delivery.send_release(first.pk)
    assert (counts["sent"], counts["bounced"]) == (1, 1)
    assert smtp.refused == [GONE], "a hard bounce is not retried"
    assert status_of(first, GONE) == "bounced"
    suppression = Suppression.objects.get(email=GONE)
    assert (suppression.reason, suppression.source) == ("bounced", "smtp")
    assert "5.1.1" in suppression.detail

    # Every later send respects it, without asking the server again.
    second = publish()
    delivery.send_release(second.pk)
    assert not Delivery.objects.filter(release=second, subscriber__email=GONE).exists()
    assert smtp.refused == [GONE]
    assert [m["To"] for m in smtp.messages] == [FINE, FINE]


def test_a_5_1_1_answer_to_data_is_a_hard_bounce_but_a_policy_refusal_is_not(smtp, publish):
    follow(GONE)
    smtp.replies = ["550 5.1.1 mailbox unavailable"]
    release = publish()
    delivery.send_release(release.pk)
    assert status_of(release, GONE) == "bounced"
    assert Suppression.objects.filter(email=GONE, reason="bounced").exists()

    follow(FINE)
    smtp.replies = ["554 5.7.1 message refused by policy"]
    release = publish()
    delivery.send_release(release.pk)
    assert status_of(release, FINE) == "failed"
    assert not Suppression.objects.filter(email=FINE).exists()


def test_soft_bounces_are_retried_and_only_enough_in_a_row_suppress(smtp, publish, settings):
    settings.ALERTS_SOFT_BOUNCE_LIMIT = 3
    settings.ALERTS_MAX_RETRIES = 1
    follow(FULL)
    smtp.rcpt_replies = {FULL: "452 4.2.2 Mailbox full"}

    first = publish()
    assert delivery.send_release(first.pk)["requeued"] == 1
    assert smtp.refused == [FULL, FULL], "retried with back-off within the run"
    assert status_of(first, FULL) == "queued"  # the sweep tries again
    assert Subscriber.objects.get(email=FULL).soft_bounces == 1
    assert delivery.send_release(first.pk)["failed"] == 1  # retries used up
    assert Subscriber.objects.get(email=FULL).soft_bounces == 2
    assert not Suppression.objects.exists()

    second = publish()
    assert delivery.send_release(second.pk)["bounced"] == 1
    assert status_of(second, FULL) == "bounced"
    suppression = Suppression.objects.get(email=FULL)
    assert suppression.reason == "soft"
    assert "3 soft bounces in a row" in suppression.detail
    assert smtp.messages == []


def test_a_delivery_between_soft_bounces_starts_the_count_again(smtp, publish, settings):
    settings.ALERTS_SOFT_BOUNCE_LIMIT = 2
    settings.ALERTS_MAX_RETRIES = 0
    follow(FULL)
    smtp.rcpt_replies = {FULL: "452 4.2.2 Mailbox full"}
    delivery.send_release(publish().pk)
    assert Subscriber.objects.get(email=FULL).soft_bounces == 1
    smtp.rcpt_replies = {}  # the journalist emptied the mailbox
    delivery.send_release(publish().pk)
    assert Subscriber.objects.get(email=FULL).soft_bounces == 0
    smtp.rcpt_replies = {FULL: "452 4.2.2 Mailbox full"}
    delivery.send_release(publish().pk)
    assert not Suppression.objects.exists()
    assert len(smtp.messages) == 1

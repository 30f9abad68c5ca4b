"""Providers' tracking webhooks, authenticated as the provider would, put an
address on the one suppression list (and nothing else does)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest

from alerts.models import Delivery, Subscriber, Suppression
from tests.alerts.support import follow
from tests.factories import PressReleaseFactory

pytestmark = pytest.mark.django_db
SECRET = "hook:s3cret"


@pytest.fixture(autouse=True)
def _anymail(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": "key-123"}


def _basic() -> str:
    return "Basic " + base64.b64encode(SECRET.encode()).decode()


def postmark(client, payload: dict, auth: str | None = None):
    return client.post(
        "/alerts/anymail/postmark/tracking/",
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=auth or _basic(),
    )


def test_a_postmark_hard_bounce_suppresses_the_address_and_marks_the_delivery(client):
    subscription = follow("gone@example.org")
    row = Delivery.objects.create(
        release=PressReleaseFactory(),
        subscriber=subscription.subscriber,
        status="sent",
        message_id="pm-123",
    )
    response = postmark(
        client,
        {
            "RecordType": "Bounce",
            "Type": "HardBounce",
            "ID": 42,
            "MessageID": "pm-123",
            "Email": "Gone@Example.org",
            "BouncedAt": "2026-01-01T10:00:00Z",
            "Description": "The server was unable to deliver your message",
        },
    )
    assert response.status_code == 200
    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.reason) == ("gone@example.org", "bounced")
    row.refresh_from_db()
    assert row.status == "bounced"


def test_a_webhook_without_the_secret_changes_nothing(client):
    response = postmark(
        client,
        {"RecordType": "SpamComplaint", "Type": "SpamComplaint", "Email": "a@example.org"},
        auth="Basic " + base64.b64encode(b"hook:wrong").decode(),
    )
    assert response.status_code == 400
    assert not Suppression.objects.exists()


def test_a_delivered_event_suppresses_nothing(client):
    postmark(
        client,
        {
            "RecordType": "Delivery",
            "Recipient": "a@example.org",
            "MessageID": "x",
            "DeliveredAt": "2026-01-01T10:00:00Z",
        },
    )
    assert not Suppression.objects.exists()


def mailgun(client, event: dict, key: str = "key-123"):
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    body = {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": event,
    }
    return client.post(
        "/alerts/anymail/mailgun/tracking/",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=_basic(),
    )


def test_a_signed_mailgun_complaint_suppresses_the_address(client):
    response = mailgun(
        client,
        {
            "event": "complained",
            "id": "ev1",
            "timestamp": time.time(),
            "recipient": "angry@example.org",
            "message": {"headers": {"message-id": "mg-1"}},
        },
    )
    assert response.status_code == 200
    assert Suppression.objects.get().reason == "complained"


def test_a_forged_mailgun_signature_is_refused(client):
    response = mailgun(
        client,
        {
            "event": "complained",
            "id": "ev2",
            "timestamp": time.time(),
            "recipient": "x@example.org",
        },
        key="not-the-key",
    )
    assert response.status_code == 400
    assert not Suppression.objects.exists()


def postmark_bounce(client, kind: str, email: str, message_id: str, n: int = 1):
    return postmark(
        client,
        {
            "RecordType": "Bounce",
            "Type": kind,
            "ID": n,
            "MessageID": message_id,
            "Email": email,
            "BouncedAt": "2026-01-01T10:00:00Z",
            "Description": "The mailbox is full" if kind == "SoftBounce" else "No such user",
        },
    )


def test_postmark_soft_bounces_suppress_only_enough_in_a_row(client, settings):
    settings.ALERTS_SOFT_BOUNCE_LIMIT = 2
    subscriber = follow("full@example.org").subscriber
    release = PressReleaseFactory()
    Delivery.objects.create(
        release=release, subscriber=subscriber, status="sent", message_id="pm-s1"
    )
    assert postmark_bounce(client, "SoftBounce", "full@example.org", "pm-s1").status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.soft_bounces == 1
    assert not Suppression.objects.exists()
    assert Delivery.objects.get(message_id="pm-s1").status == "sent"  # not final yet

    # A delivery in between starts the count again.
    postmark(
        client,
        {
            "RecordType": "Delivery",
            "Recipient": "full@example.org",
            "MessageID": "pm-s0",
            "DeliveredAt": "2026-01-01T10:00:00Z",
        },
    )
    subscriber.refresh_from_db()
    assert subscriber.soft_bounces == 0

    postmark_bounce(client, "SoftBounce", "full@example.org", "pm-s1", n=2)
    assert not Suppression.objects.exists()
    postmark_bounce(client, "SoftBounce", "full@example.org", "pm-s1", n=3)
    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.reason, suppression.source) == (
        "full@example.org",
        "soft",
        "Postmark",
    )
    assert Delivery.objects.get(message_id="pm-s1").status == "bounced"


def test_mailgun_temporary_failures_count_and_permanent_ones_suppress(client, settings):
    settings.ALERTS_SOFT_BOUNCE_LIMIT = 5
    follow("later@example.org")
    follow("never@example.org")
    for n, (address, severity) in enumerate(
        [("later@example.org", "temporary"), ("never@example.org", "permanent")]
    ):
        response = mailgun(
            client,
            {
                "event": "failed",
                "severity": severity,
                "id": f"ev-f{n}",
                "timestamp": time.time(),
                "recipient": address,
                "delivery-status": {"code": 452 if severity == "temporary" else 550},
                "message": {"headers": {"message-id": f"mg-f{n}"}},
            },
        )
        assert response.status_code == 200
    assert list(Suppression.objects.values_list("email", "reason")) == [
        ("never@example.org", "bounced")
    ]
    assert Subscriber.objects.get(email="later@example.org").soft_bounces == 1


def test_a_providers_event_settles_a_delivery_left_in_doubt_so_it_is_not_sent_again(client):
    """A worker died during the provider's API call: the row is in doubt. The
    provider's event carries the row in the metadata we sent: it has the
    message, so the row is sent — before, or after the sweep re-queued it."""
    follow("a@example.org")
    follow("b@example.org")
    release = PressReleaseFactory()
    handed, requeued = (
        Delivery.objects.create(release=release, subscriber=s, status=status, in_doubt=doubt)
        for s, status, doubt in zip(
            Subscriber.objects.order_by("email"), ("sending", "queued"), (0, 1), strict=True
        )
    )
    untouched = Delivery.objects.create(
        release=PressReleaseFactory(), subscriber=handed.subscriber, status="queued"
    )
    for row, provider_id in ((handed, "pm-1"), (requeued, "pm-2"), (untouched, "pm-3")):
        metadata = {} if row is untouched else {"alerts_delivery": str(row.pk)}
        postmark(
            client,
            {
                "RecordType": "Delivery",
                "Recipient": row.subscriber.email,
                "MessageID": provider_id,
                "DeliveredAt": "2026-01-01T10:00:00Z",
                "Metadata": metadata,
            },
        )
    for row in (handed, requeued, untouched):
        row.refresh_from_db()
    assert (handed.status, handed.message_id) == ("sent", "pm-1")
    assert (requeued.status, requeued.message_id) == ("sent", "pm-2")
    assert untouched.status == "queued"  # no metadata: nothing to settle

"""The staff outbox: every delivery by status, filterable, read-only, in the
house date style; one address's consent and history; fixed query counts."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from alerts.models import Delivery, Suppression
from core.dates import house_datetime
from tests.alerts.support import follow
from tests.factories import PressReleaseFactory

pytestmark = pytest.mark.django_db
OUTBOX = "/admin/alerts/delivery/outbox/"


@pytest.fixture
def staff_client(client):
    boss = User.objects.create_superuser("boss", "boss@example.org", "x")
    client.force_login(boss)
    return client


def deliveries(n: int, status: str, release=None) -> list[Delivery]:
    release = release or PressReleaseFactory(title=f"Release with {status} rows")
    sent_at = datetime.datetime(2026, 12, 2, 17, 57, tzinfo=datetime.UTC)
    return [
        Delivery.objects.create(
            release=release,
            subscriber=follow(f"{status}{i}@example.org").subscriber,
            status=status,
            sent_at=sent_at if status == "sent" else None,
            error="550 5.1.1 No such user" if status == "bounced" else "",
        )
        for i in range(n)
    ]


def test_the_outbox_counts_lists_and_filters_by_status(staff_client):
    deliveries(3, "sent")
    deliveries(2, "queued")
    deliveries(1, "bounced")
    page = staff_client.get(OUTBOX).content.decode()
    assert "All: 6" in page and "Sent: 3" in page and "Queued: 2" in page
    assert "Hard bounce" not in page  # a status, not a suppression
    assert "Bounced: 1" in page
    assert house_datetime(datetime.datetime(2026, 12, 2, 17, 57, tzinfo=datetime.UTC)) in page

    bounced = staff_client.get(OUTBOX, {"status": "bounced"}).content.decode()
    assert "bounced0@example.org" in bounced and "sent0@example.org" not in bounced
    assert "550 5.1.1 No such user" in bounced
    by_address = staff_client.get(OUTBOX, {"q": "queued1"}).content.decode()
    assert "queued1@example.org" in by_address and "queued0@" not in by_address


def test_unknown_filters_are_said_and_ignored_never_a_500(staff_client):
    deliveries(1, "sent")
    response = staff_client.get(
        OUTBOX, {"status": "exploded", "kind": "x" * 500, "release": "1; drop", "page": "-3"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unknown filter status “exploded”: ignored." in page
    assert "Unknown filter release “1; drop”: ignored." in page
    assert "sent0@example.org" in page


def test_one_address_history_shows_consent_suppression_and_every_delivery(staff_client):
    subscription = follow("jo@example.org", {"q": "floods"})
    subscription.source_page = "/search/?q=floods"
    subscription.save()
    release = PressReleaseFactory(title="Floods: relief camps open")
    Delivery.objects.create(release=release, subscriber=subscription.subscriber, status="sent")
    Suppression.objects.create(email="jo@example.org", reason="bounced", source="smtp")
    deliveries(2, "sent")  # someone else's
    subscriber = subscription.subscriber
    changelist = staff_client.get(reverse("admin:alerts_subscriber_changelist")).content.decode()
    assert f"{OUTBOX}?subscriber={subscriber.pk}" in changelist
    page = staff_client.get(OUTBOX, {"subscriber": subscriber.pk}).content.decode()
    assert "History of jo@example.org" in page
    assert "/search/?q=floods" in page
    assert house_datetime(subscription.confirmed_at) in page
    assert "Suppressed since" in page and "Hard bounce" in page
    assert "Floods: relief camps open" in page
    assert "sent0@example.org" not in page


def test_the_outbox_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries):
    deliveries(3, "sent")
    staff_client.get(OUTBOX)  # warm the session and content types
    with django_assert_max_num_queries(6):
        staff_client.get(OUTBOX)
    deliveries(60, "failed")
    with django_assert_max_num_queries(6):
        response = staff_client.get(OUTBOX, {"status": "failed", "page": "2"})
    assert "Page 2 of 2" in response.content.decode()
    subscriber = Delivery.objects.first().subscriber_id
    with django_assert_max_num_queries(8):
        staff_client.get(OUTBOX, {"subscriber": subscriber})


def test_deliveries_are_read_only_and_the_outbox_needs_the_view_permission(client):
    clerk = User.objects.create_user("clerk", "clerk@example.org", "x", is_staff=True)
    client.force_login(clerk)
    assert client.get(OUTBOX).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="view_delivery"))
    assert client.get(OUTBOX).status_code == 200
    row = deliveries(1, "sent")[0]
    change = client.post(
        reverse("admin:alerts_delivery_change", args=[row.pk]), {"status": "queued"}
    )
    assert change.status_code == 403
    row.refresh_from_db()
    assert row.status == "sent"

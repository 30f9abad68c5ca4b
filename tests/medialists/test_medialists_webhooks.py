"""Providers' tracking webhooks (Postmark's payloads, authenticated as
Postmark does) move a send's copies on: the report follows."""

from __future__ import annotations

import base64
import json

import pytest

from alerts.models import Suppression
from medialists import plans, sending
from medialists.models import Recipient
from tests.factories import PressReleaseFactory
from tests.medialists.conftest import fixed_list, person

pytestmark = pytest.mark.django_db
SECRET = "hook:s3cret"


@pytest.fixture(autouse=True)
def _anymail(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}


def postmark(client, payload: dict):
    return client.post(
        "/alerts/anymail/postmark/tracking/",
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(SECRET.encode()).decode(),
    )


@pytest.fixture
def sent(smtp, publisher, django_capture_on_commit_callbacks):
    people = [person(f"Person {n}", f"p{n}@example.org") for n in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        distribution, _ = plans.plan(
            PressReleaseFactory(), [fixed_list("All", people)], "", publisher
        )
    rows = {r.email: r for r in Recipient.objects.filter(distribution=distribution)}
    assert all(r.status == "sent" and r.message_id for r in rows.values())
    return distribution, rows


def test_delivery_bounce_and_complaint_payloads_update_the_report(client, sent):
    distribution, rows = sent
    assert postmark(client, {
        "RecordType": "Delivery", "MessageID": rows["p0@example.org"].message_id,
        "Recipient": "p0@example.org", "DeliveredAt": "2026-12-02T10:00:00Z",
        "Details": "Test delivery", "Tag": "", "ServerID": 1, "Metadata": {},
    }).status_code == 200  # fmt: skip
    assert postmark(client, {
        "RecordType": "Bounce", "Type": "HardBounce", "ID": 7,
        "MessageID": rows["p1@example.org"].message_id, "Email": "P1@Example.org",
        "BouncedAt": "2026-12-02T10:00:00Z", "Description": "No such mailbox",
    }).status_code == 200  # fmt: skip
    assert postmark(client, {
        "RecordType": "SpamComplaint", "Type": "SpamComplaint", "ID": 8,
        "MessageID": rows["p2@example.org"].message_id, "Email": "p2@example.org",
        "BouncedAt": "2026-12-02T10:00:00Z",
    }).status_code == 200  # fmt: skip
    status = dict(Recipient.objects.values_list("email", "status"))
    assert status == {
        "p0@example.org": "delivered",
        "p1@example.org": "bounced",
        "p2@example.org": "complained",
        "p3@example.org": "sent",
    }
    # The alerts' receiver suppressed the bounced and complaining addresses everywhere.
    assert set(Suppression.objects.values_list("email", flat=True)) == {
        "p1@example.org",
        "p2@example.org",
    }
    report = sending.report(distribution)
    assert (report["left"], report["delivered"], report["bounced"], report["complained"]) == (
        4,
        1,
        1,
        1,
    )


def test_an_event_for_another_message_changes_no_copy(client, sent):
    postmark(client, {
        "RecordType": "Delivery", "MessageID": "someone-elses", "Recipient": "p0@example.org",
        "DeliveredAt": "2026-12-02T10:00:00Z", "Details": "", "Tag": "", "ServerID": 1,
        "Metadata": {},
    })  # fmt: skip
    assert set(Recipient.objects.values_list("status", flat=True)) == {"sent"}


def test_the_report_page_shows_the_counts(client, sent, publisher):
    distribution, rows = sent
    Recipient.objects.filter(pk=rows["p0@example.org"].pk).update(status="delivered")
    client.force_login(publisher)
    page = client.get(f"/admin/medialists/distribution/{distribution.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<th>Sent</th><td>4</td>" in text and "<th>Delivered</th><td>1</td>" in text

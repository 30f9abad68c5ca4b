"""A send to media lists through the real SMTP server: exactly the right
people, once each, never before ``published()`` says so; audited."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from alerts.models import Suppression
from medialists import audience, plans, sending
from medialists.models import Outlet, Recipient
from releases.models import AuditLogEntry, PressRelease
from tests.factories import OrganisationFactory, PressReleaseFactory
from tests.medialists.conftest import fixed_list, person, smart_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    wire = Outlet.objects.create(name="Northern Wire", kind="wire", country="GB")
    radio = Outlet.objects.create(name="Valley Radio", kind="radio", country="PK")
    people = {
        "both": person("Ana Both", "Ana@Example.org", wire, beats=["energy"], countries="GB"),
        "fixed": person("Bo Fixed", "bo@example.org", wire),
        "smart": person("Cy Smart", "cy@example.org", radio, beats=["energy"]),
        "suppressed": person("Di Gone", "di@example.org", wire),
        "noconsent": person("Ed Noconsent", "ed@example.org", radio, beats=["energy"],
                            consent_basis=""),
        "dnc": person("Fay Dnc", "fay@example.org", wire, do_not_contact=True),
        "other": person("Gus Other", "gus@example.org", radio, beats=["water"]),
    }  # fmt: skip
    Suppression.objects.create(email="di@example.org", reason="bounced")
    first = fixed_list(
        "Wires", [people["both"], people["fixed"], people["suppressed"], people["dnc"]]
    )
    second = smart_list("Energy desk", beats=["energy"])
    return people, [first, second]


def test_the_audience_names_who_is_left_out_and_why(cast):
    people, lists = cast
    release = PressReleaseFactory()
    outcome = audience.audience(release.pk, lists)
    assert {p.email for p in outcome.recipients} == {
        "ana@example.org",
        "bo@example.org",
        "cy@example.org",
    }
    reasons = {p.email: why for p, why in outcome.excluded}
    assert reasons == {
        "di@example.org": audience.SUPPRESSED,
        "ed@example.org": audience.NO_CONSENT,
        "fay@example.org": audience.DO_NOT_CONTACT,
    }
    assert outcome.duplicates == {people["both"].pk: ["Wires", "Energy desk"]}


def test_a_send_to_two_overlapping_lists_delivers_exactly_the_expected_messages(
    cast, smtp, publisher, django_capture_on_commit_callbacks
):
    _, lists = cast
    release = PressReleaseFactory(title="Dam opens its new turbines")
    with django_capture_on_commit_callbacks(execute=True):
        distribution, outcome = plans.plan(release, lists, "Thought you'd want this.", publisher)
    assert outcome.count == 3
    arrived = Counter(m["X-Envelope-To"] for m in smtp.messages)
    assert arrived == {"ana@example.org": 1, "bo@example.org": 1, "cy@example.org": 1}
    message = smtp.to("ana@example.org")[0]
    assert message["Subject"] == "Dam opens its new turbines"
    assert "Thought you'd want this." in message.get_body(("plain",)).get_content()
    assert message["List-Unsubscribe"].strip().startswith("<https://news.example.org/media-lists/")
    rows = Recipient.objects.filter(distribution=distribution)
    assert sorted(rows.values_list("status", flat=True)) == ["sent"] * 3
    assert all(rows.values_list("message_id", flat=True))
    entry = AuditLogEntry.objects.get(release=release, action=plans.AUDIT_ACTION)
    assert entry.user == publisher
    assert "Wires, Energy desk" in entry.note and "3 recipient(s)" in entry.note

    # A second send of the same release reaches nobody twice.
    smtp.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _, again = plans.plan(release, lists, "", publisher)
    assert again.count == 0 and smtp.messages == []
    assert {why for _, why in again.excluded} >= {audience.ALREADY_SENT}


def test_nothing_goes_before_the_embargo_and_a_withdrawn_release_sends_nothing(
    cast, smtp, publisher
):
    _, lists = cast
    soon = timezone.now() + datetime.timedelta(hours=2)
    release = PressReleaseFactory(publish_at=soon)  # scheduled: published, in the future
    plans.plan(release, lists, "", publisher)  # the on-commit booking is not run here
    assert sending.send_release_copies(release.pk) == {"skipped": "not public"}
    assert smtp.messages == []
    # Withdrawn after its instant passed: still nothing.
    PressRelease.objects.filter(pk=release.pk).update(
        publish_at=timezone.now() - datetime.timedelta(minutes=1), status="withdrawn"
    )
    assert sending.send_release_copies(release.pk) == {"skipped": "not public"}
    assert smtp.messages == []
    assert set(Recipient.objects.values_list("status", flat=True)) == {"queued"}
    # Published at last: the sweep finds the waiting copies and sends them.
    PressRelease.objects.filter(pk=release.pk).update(status="published")
    result = plans.sweep(timezone.now())
    assert result["releases"] == 1
    assert len(smtp.messages) == 3


def test_a_person_suppressed_after_the_plan_gets_nothing(cast, smtp, publisher):
    _, lists = cast
    release = PressReleaseFactory(publish_at=timezone.now() + datetime.timedelta(hours=1))
    plans.plan(release, lists, "", publisher)
    Suppression.objects.create(email="bo@example.org", reason="complained")
    PressRelease.objects.filter(pk=release.pk).update(publish_at=timezone.now())
    sending.send_release_copies(release.pk)
    assert sorted(m["X-Envelope-To"] for m in smtp.messages) == [
        "ana@example.org",
        "cy@example.org",
    ]
    assert Recipient.objects.get(email="bo@example.org").status == "suppressed"


def test_a_draft_cannot_be_sent(cast, publisher):
    _, lists = cast
    draft = PressReleaseFactory(status="draft", publish_at=None)
    with pytest.raises(plans.NotSendableError):
        plans.plan(draft, lists, "", publisher)
    assert not Recipient.objects.exists()


def test_the_unsubscribe_link_suppresses_the_address_everywhere(
    cast, smtp, publisher, client, django_capture_on_commit_callbacks
):
    _, lists = cast
    release = PressReleaseFactory()
    with django_capture_on_commit_callbacks(execute=True):
        plans.plan(release, lists, "", publisher)
    header = smtp.to("cy@example.org")[0]["List-Unsubscribe"].strip().strip("<>")
    path = header.removeprefix("https://news.example.org")
    page = client.get(path)
    assert page.status_code == 200 and not Suppression.objects.filter(email="cy@example.org")
    done = client.post(path)  # RFC 8058 one-click: no cookie, no CSRF token
    assert done.status_code == 200
    assert Suppression.objects.filter(email="cy@example.org").exists()
    assert Recipient.objects.get(email="cy@example.org").status == "unsubscribed"
    assert client.post(path[:-5] + "xxxx/").status_code == 400
    # The next release reaches the others only.
    smtp.clear()
    with django_capture_on_commit_callbacks(execute=True):
        plans.plan(PressReleaseFactory(), lists, "", publisher)
    assert "cy@example.org" not in {m["X-Envelope-To"] for m in smtp.messages}
    assert len(smtp.messages) == 2


def test_a_copy_held_back_once_goes_with_a_later_send(cast, smtp, publisher):
    _, lists = cast
    release = PressReleaseFactory(publish_at=timezone.now() + datetime.timedelta(hours=1))
    plans.plan(release, lists, "", publisher)
    Suppression.objects.create(email="bo@example.org", reason="manual")
    PressRelease.objects.filter(pk=release.pk).update(publish_at=timezone.now())
    sending.send_release_copies(release.pk)
    assert Recipient.objects.get(email="bo@example.org").status == "suppressed"
    Suppression.objects.filter(email="bo@example.org").delete()  # staff lifted it
    smtp.clear()
    second, outcome = plans.plan(release, lists, "", publisher)
    assert [p.email for p in outcome.recipients] == ["bo@example.org"]
    sending.send_release_copies(release.pk)
    assert [m["X-Envelope-To"] for m in smtp.messages] == ["bo@example.org"]
    assert Recipient.objects.get(email="bo@example.org").distribution == second


def test_a_bulletin_goes_as_its_releases_each_once(
    cast, smtp, publisher, client, django_capture_on_commit_callbacks
):
    from bulletins.models import Bulletin, BulletinItem

    _, lists = cast
    bulletin = Bulletin.objects.create(
        title="Media Update",
        slug="media-update",
        date=datetime.date(2026, 12, 2),
        organisation=OrganisationFactory(),
    )
    public, draft = PressReleaseFactory(), PressReleaseFactory(status="draft", publish_at=None)
    BulletinItem.objects.create(bulletin=bulletin, release=public, order=0)
    BulletinItem.objects.create(bulletin=bulletin, release=draft, order=1)
    from django.contrib.auth.models import Permission

    # A publisher who may see the bulletins (the role alone does not).
    publisher.user_permissions.add(Permission.objects.get(codename="view_bulletin"))
    client.force_login(publisher)
    chosen = client.post(
        "/admin/bulletins/bulletin/",
        {"action": "send_to_media_lists", "_selected_action": [bulletin.pk]},
    )
    assert chosen.status_code == 302
    page = client.post(chosen["Location"], {"lists": [m.pk for m in lists], "preview": "1"})
    assert page.status_code == 200 and "Not sent" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(chosen["Location"], {"lists": [m.pk for m in lists], "confirm": "1"})
    assert done.status_code == 302
    assert sorted(m["X-Envelope-To"] for m in smtp.messages) == [
        "ana@example.org",
        "bo@example.org",
        "cy@example.org",
    ]
    assert not Recipient.objects.filter(release=draft).exists()


def test_a_mailbox_that_keeps_saying_later_is_retried_a_few_times_then_failed(
    cast, smtp, publisher, settings
):
    settings.ALERTS_MAX_RETRIES = 1
    _, lists = cast
    smtp.rcpt_replies["bo@example.org"] = "452 4.2.2 Mailbox full"
    release = PressReleaseFactory(publish_at=timezone.now() + datetime.timedelta(hours=1))
    plans.plan(release, lists, "", publisher)
    PressRelease.objects.filter(pk=release.pk).update(publish_at=timezone.now())
    statuses = []
    for _ in range(4):  # the sweep's runs
        sending.send_release_copies(release.pk)
        statuses.append(Recipient.objects.get(email="bo@example.org").status)
    assert statuses[0] == "queued" and statuses[-1] == "failed"
    assert len(smtp.messages) == 2  # the others, once each

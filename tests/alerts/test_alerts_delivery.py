"""Alerts over real SMTP: who gets what, the e-mail itself, exactly once,
the published() check at send time, retries, suppression."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from alerts import delivery
from alerts.models import AlertRun, Delivery, Subscription, Suppression
from alerts.tasks import run_sweep
from releases import workflow
from releases.models import PressRelease
from tests.alerts.support import follow, html_part, text_part
from tests.factories import MediaContactFactory, OrganisationFactory, PressReleaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher(db):
    return User.objects.create_superuser("boss", "boss@example.org", "x")


def approved(**kwargs) -> PressRelease:
    return PressReleaseFactory(status=PressRelease.Status.APPROVED, publish_at=None, **kwargs)


def test_an_alert_reaches_exactly_the_matching_addresses(smtp, publisher):
    unicef = OrganisationFactory(slug="unicef")
    OrganisationFactory(slug="undp")
    contact = MediaContactFactory(organisation=unicef, phone="+92 51 1234567")
    follow("all@example.org")
    follow("unicef@example.org", {"organisation": "unicef"})
    follow("undp@example.org", {"organisation": "undp"})
    follow("floods@example.org", {"q": "floods"})
    follow("digest@example.org", frequency="daily")
    release = approved(
        title="Floods in Sindh: water for 10,000 families",
        organisations=[unicef],
        contacts=[contact],
    )
    workflow.publish(release, publisher)
    counts = delivery.send_release(release.pk)

    assert counts["sent"] == 3
    assert sorted(m["To"] for m in smtp.messages) == [
        "all@example.org",
        "floods@example.org",
        "unicef@example.org",
    ]
    message = smtp.to("unicef@example.org")[0]
    assert message["Subject"] == release.title
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        message["List-Unsubscribe"]
        .strip()
        .startswith("<https://news.example.org/alerts/unsubscribe/")
    )
    assert message["List-Id"] == "Newsroom alerts <alerts.news.example.org>"
    html, text = html_part(message), text_part(message)
    assert '<html lang="en-GB">' in html and "<h1" in html
    assert "<style" not in html and 'style="' in html  # css-inline did its work
    assert "<img" not in html  # no tracking pixel, readable without images
    for part in (html, text):
        assert release.title in part and "Islamabad, 18 October 2023" in part
        assert unicef.name in part and contact.email in part and "+92 51 1234567" in part
        assert f"https://news.example.org/releases/{release.slug}/" in part
        assert "https://news.example.org/alerts/manage/" in part


def test_each_address_gets_each_release_once_however_often_it_is_sent(smtp, publisher):
    follow("a@example.org")
    follow("a@example.org", {"q": "water"})  # two lists, one address
    release = approved(title="Clean water")
    workflow.publish(release, publisher)
    delivery.send_release(release.pk)
    delivery.send_release(release.pk)
    run_sweep()
    assert len(smtp.messages) == 1
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_a_row_claimed_by_a_dead_worker_goes_once_after_its_lease(smtp, publisher):
    """Claimed, never handed over: the server has nothing, so once the lease
    has run out the sweep queues it again and it goes — once."""
    follow("a@example.org")
    release = approved()
    workflow.publish(release, publisher)
    delivery.fan_out(release)
    row = Delivery.objects.get()
    assert delivery.claim(row.pk, release.pk, "dead-worker")
    assert not delivery.claim(row.pk, release.pk, "another-worker")  # one claim wins
    delivery.send_release(release.pk)
    assert smtp.messages == []
    assert run_sweep()["claims_requeued"] == 0  # the lease still holds
    assert smtp.messages == []
    later = timezone.now() + datetime.timedelta(minutes=11)
    assert run_sweep(later)["claims_requeued"] == 1
    delivery.send_release(release.pk)
    (message,) = smtp.messages
    row.refresh_from_db()
    assert (row.status, row.in_doubt) == (Delivery.Status.SENT, 0)
    assert message["Message-ID"] == row.message_id


def test_a_row_in_doubt_goes_again_with_the_same_message_id_then_gives_up(
    smtp, publisher, settings
):
    """Handed over, no answer recorded (the worker died after the "."): sent
    again with the same Message-ID, counted as a possible duplicate; after
    ALERTS_IN_DOUBT_RESENDS such re-sends it is *unknown* and stays so."""
    settings.ALERTS_IN_DOUBT_RESENDS = 1
    follow("a@example.org")
    release = approved()
    workflow.publish(release, publisher)
    delivery.send_release(release.pk)
    (first,) = smtp.messages
    rows = Delivery.objects.filter(release=release)
    later = timezone.now() + datetime.timedelta(minutes=11)
    rows.update(status=Delivery.Status.SENDING, claimed_by="dead:1:x", lease_until=timezone.now())
    swept = run_sweep(later)  # takes the row back, and enqueues its release again
    assert (swept["in_doubt_resent"], swept["releases"]) == (1, 1)
    first_again, second = smtp.messages
    assert first_again is first and second["Message-ID"] == first["Message-ID"]
    assert rows.get().status == Delivery.Status.SENT and rows.get().in_doubt == 1
    rows.update(status=Delivery.Status.SENDING, claimed_by="dead:1:x", lease_until=timezone.now())
    assert run_sweep(later)["unknown"] == 1
    delivery.send_release(release.pk)
    assert len(smtp.messages) == 2
    assert rows.get().status == Delivery.Status.UNKNOWN


def test_nothing_goes_before_the_embargo_or_after_an_unschedule(smtp, publisher):
    follow("a@example.org")
    release = approved()
    workflow.schedule(release, publisher, publish_at=timezone.now() + datetime.timedelta(hours=1))
    assert delivery.send_release(release.pk) == {"skipped": "not public"}
    workflow.unschedule(release, publisher)
    assert delivery.send_release(release.pk) == {"skipped": "not public"}
    run_sweep(timezone.now() + datetime.timedelta(hours=2))
    assert smtp.messages == [] and not Delivery.objects.exists()


def test_a_release_published_before_the_subscription_is_not_sent(smtp):
    release = PressReleaseFactory(publish_at=timezone.now() - datetime.timedelta(minutes=5))
    follow("late@example.org")
    delivery.send_release(release.pk)
    assert smtp.messages == []


def test_publishing_enqueues_the_alert_on_commit(
    smtp, publisher, django_capture_on_commit_callbacks
):
    follow("a@example.org")
    release = approved()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(release, publisher)
    assert [m["To"] for m in smtp.messages] == ["a@example.org"]
    assert AlertRun.objects.get(release=release).finished_at is not None


def test_suppressed_addresses_get_nothing(smtp, publisher):
    follow("bounced@example.org")
    follow("fine@example.org")
    Suppression.objects.create(email="bounced@example.org", reason="bounced")
    release = approved()
    workflow.publish(release, publisher)
    delivery.send_release(release.pk)
    assert [m["To"] for m in smtp.messages] == ["fine@example.org"]


def test_temporary_failures_are_retried_and_permanent_ones_recorded(smtp, publisher):
    follow("a@example.org")
    follow("b@example.org")
    # A 5xx about the *message* (not the address) fails that delivery only.
    smtp.replies = ["451 4.3.0 try again later", "554 5.7.1 message refused as spam"]
    release = approved()
    workflow.publish(release, publisher)
    counts = delivery.send_release(release.pk)
    assert counts["sent"] == 1 and counts["failed"] == 1
    statuses = dict(Delivery.objects.values_list("subscriber__email", "status"))
    assert sorted(statuses.values()) == ["failed", "sent"]
    failed = Delivery.objects.get(status="failed")
    assert "554" in failed.error
    assert not Suppression.objects.exists()


def test_a_queued_row_of_a_release_no_longer_public_cannot_be_claimed(smtp, publisher):
    """The embargo check is inside the claim's UPDATE: no window between them."""
    follow("a@example.org")
    release = approved()
    workflow.publish(release, publisher)
    delivery.fan_out(release)
    row = Delivery.objects.get()
    PressRelease.objects.filter(pk=release.pk).update(
        publish_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert not delivery.claim(row.pk, release.pk, "worker")
    row.refresh_from_db()
    assert row.status == "queued"


def test_a_withdrawal_mid_fan_out_stops_the_sending(smtp, publisher, monkeypatch):
    for n in range(5):
        follow(f"s{n}@example.org")
    release = approved()
    workflow.publish(release, publisher)
    real_send, sent = delivery.send, []

    def send_then_withdraw(message, connection, hand_over=None):
        sent.append(real_send(message, connection, hand_over))
        if len(sent) == 2:
            PressRelease.objects.filter(pk=release.pk).update(status="withdrawn")
        return sent[-1]

    monkeypatch.setattr(delivery, "send", send_then_withdraw)
    assert delivery.send_release(release.pk)["stopped"] == "no longer public"
    assert len(smtp.messages) == 2


def test_a_daily_digest_groups_releases_by_organisation(smtp):
    unicef = OrganisationFactory(name="UNICEF Pakistan", slug="unicef")
    undp = OrganisationFactory(name="UNDP Pakistan", slug="undp")
    yesterday = timezone.now() - datetime.timedelta(days=2)
    subscription = follow("d@example.org", frequency="daily", confirmed_at=yesterday)
    subscription.subscriber.time_zone = "UTC"
    subscription.subscriber.save()
    subscription.digest_hour = (
        (timezone.now() - datetime.timedelta(hours=1)).astimezone(datetime.UTC).hour
    )
    subscription.save()
    PressReleaseFactory(title="One", organisations=[unicef])
    PressReleaseFactory(title="Two", organisations=[undp])
    PressReleaseFactory(title="Three", organisations=[unicef])
    assert run_sweep()["digests"] == 1
    (message,) = smtp.messages
    assert message["Subject"] == "Newsroom: 3 new press releases"
    html = html_part(message)
    assert html.index("UNDP Pakistan") < html.index("UNICEF Pakistan")
    assert all(title in html for title in ("One", "Two", "Three"))
    assert Delivery.objects.filter(kind="digest", status="sent").count() == 3
    assert run_sweep()["digests"] == 0  # not due again today


def test_each_address_gets_its_own_links_though_the_alert_is_rendered_once(smtp, publisher, client):
    """The renderer reuses one rendering per set of lists: the links, the
    List-Unsubscribe header and the "you follow" line must still be each
    address's own."""
    unicef = OrganisationFactory(name="UNICEF Pakistan", slug="unicef")
    follow("a@example.org", {"organisation": "unicef"})
    follow("b@example.org", {"organisation": "unicef"})
    follow("c@example.org", {"organisation": "unicef"})
    follow("c@example.org", {"q": "schools"})
    release = approved(organisations=[unicef], title="Schools reopen after the floods")
    workflow.publish(release, publisher)
    delivery.send_release(release.pk)
    by_address = {m["To"]: m for m in smtp.messages}
    assert sorted(by_address) == ["a@example.org", "b@example.org", "c@example.org"]
    links = {}
    for address, message in by_address.items():
        header = message["List-Unsubscribe"].strip()[1:-1]
        assert header in text_part(message) and header in html_part(message)
        links[address] = header
    assert len(set(links.values())) == 3
    assert "matching “schools”" in text_part(by_address["c@example.org"])
    assert "schools" not in text_part(by_address["a@example.org"]).split("--")[-1]
    path = links["b@example.org"].removeprefix("https://news.example.org")
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    left = set(Subscription.objects.values_list("subscriber__email", flat=True))
    assert left == {"a@example.org", "c@example.org"}

"""Signing up, confirming, managing and unsubscribing — and every bad input
a clear page, never a 500, with nothing sent that should not be."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from alerts import tokens
from alerts.models import SignupAttempt, Subscriber, Subscription
from tests.alerts.support import follow, html_part, text_part
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/alerts/subscribe/"
FORM = {"frequency": "immediate", "digest_hour": "8", "time_zone": "Asia/Karachi"}


def sign_up(client, email: str, query: str = "", **extra):
    return client.post(
        f"{SUBSCRIBE}?{query}",
        {**FORM, "email": email, **extra},
        **{"REMOTE_ADDR": extra.pop("ip", "203.0.113.5")},
    )


def confirm_link(message) -> str:
    return re.search(r"https://news\.example\.org(/alerts/confirm/[^/\s]+/)", text_part(message))[1]


def test_the_list_offers_its_alert_with_its_filters(client):
    OrganisationFactory(slug="unicef", name="UNICEF")
    page = client.get("/releases/?organisation=unicef&page=2").content.decode()
    assert 'href="/alerts/subscribe/?organisation=unicef&amp;page=2"' in page
    form = client.get("/alerts/subscribe/?organisation=unicef&q=floods&page=2")
    assert form.status_code == 200
    assert "Press releases: organisation “UNICEF”, matching “floods”" in form.content.decode()


def test_double_opt_in_from_a_filtered_search(client, smtp, django_capture_on_commit_callbacks):
    OrganisationFactory(slug="unicef", name="UNICEF")
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, "Journalist@Example.org", "organisation=unicef&q=floods")
    assert response.status_code == 200 and "Check your e-mail" in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.query == {"organisation": "unicef", "q": "floods"}
    assert subscription.confirmed_at is None
    (message,) = smtp.messages  # the only e-mail before confirmation
    assert message["To"] == "journalist@example.org"
    assert "Confirm" in message["Subject"] and "floods" in html_part(message)

    link = confirm_link(message)
    assert "Confirm these e-mail alerts" in client.get(link).content.decode()
    assert Subscription.objects.get().confirmed_at is None  # GET confirms nothing
    done = client.post(link)
    assert done.status_code == 200 and "Your e-mail alerts are on" in done.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at and subscription.confirmation
    assert subscription.source_page.startswith("/alerts/subscribe/?organisation=unicef")
    assert client.post(link).status_code == 200  # a replay is harmless


@pytest.mark.parametrize(
    "address",
    [
        "not-an-address",
        "a@b@example.org",
        "victim@example.org\r\nBcc: x@example.org",
        "x" * 10_000 + "@example.org",
        "",
    ],
    ids=["malformed", "two-ats", "header-injection", "10kB", "empty"],
)
def test_bad_addresses_get_a_clear_page_and_nothing_is_sent(client, smtp, address):
    response = sign_up(client, address)
    assert response.status_code == 400
    assert "error-message" in response.content.decode()
    assert not Subscriber.objects.exists() and smtp.messages == []


def test_a_bad_time_zone_is_refused_with_a_message(client):
    response = sign_up(client, "a@example.org", time_zone="Mars/Olympus")
    assert response.status_code == 400 and "time zone" in response.content.decode()


def test_the_form_cannot_be_used_to_mail_bomb(client, settings):
    settings.ALERTS_SIGNUPS_PER_ADDRESS, settings.ALERTS_SIGNUPS_PER_IP = 3, 5
    statuses = [sign_up(client, "victim@example.org").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    others = [sign_up(client, f"v{n}@example.org").status_code for n in range(3)]
    assert others == [200, 200, 429]  # five per client address


def forwarded(client, email: str, chain: str):
    """A sign-up arriving through the reverse proxy at 10.0.0.2."""
    return client.post(
        SUBSCRIBE,
        {**FORM, "email": email},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=chain,
    )


def test_behind_a_proxy_the_limit_keys_on_the_client_the_proxy_saw(client, settings):
    settings.ALERTS_SIGNUPS_PER_ADDRESS, settings.ALERTS_SIGNUPS_PER_IP = 50, 2
    settings.ALERTS_PROXY_COUNT = 1
    # Two people behind one proxy are two clients, not one.
    assert [
        forwarded(client, f"a{n}@example.org", "198.51.100.7").status_code for n in range(3)
    ] == [
        200,
        200,
        429,
    ]
    assert forwarded(client, "b@example.org", "198.51.100.8").status_code == 200
    # A client cannot dodge the limit by writing its own X-Forwarded-For:
    # only the entry the trusted proxy appended counts.
    spoofed = [
        forwarded(client, f"c{n}@example.org", f"203.0.113.{n}, 198.51.100.7").status_code
        for n in range(2)
    ]
    assert spoofed == [429, 429]
    assert SignupAttempt.objects.filter(ip="10.0.0.2").count() == 0


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(client, settings):
    settings.ALERTS_SIGNUPS_PER_ADDRESS, settings.ALERTS_SIGNUPS_PER_IP = 50, 2
    settings.ALERTS_PROXY_COUNT = 0
    statuses = [
        forwarded(client, f"d{n}@example.org", f"203.0.113.{n}").status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]  # all from 10.0.0.2, whatever the header says
    assert set(SignupAttempt.objects.values_list("ip", flat=True)) == {"10.0.0.2"}


def test_a_malformed_forwarded_header_falls_back_to_the_peer(client, settings):
    settings.ALERTS_PROXY_COUNT = 2
    assert forwarded(client, "e@example.org", "not-an-ip, also-not").status_code == 200
    assert forwarded(client, "f@example.org", "").status_code == 200
    assert set(SignupAttempt.objects.values_list("ip", flat=True)) == {"10.0.0.2"}


def test_tampered_and_expired_confirmation_links(client):
    subscription = follow("a@example.org", confirmed_at=None)
    subscriber = subscription.subscriber
    token = tokens.confirm_token(subscriber.pk, subscriber.nonce, subscription.pk)
    tampered = client.get(f"/alerts/confirm/{token[:-2]}xx/")
    assert tampered.status_code == 400 and "does not work" in tampered.content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=49)):
        expired = client.post(f"/alerts/confirm/{token}/")
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    assert Subscription.objects.get().confirmed_at is None
    garbage = client.get("/alerts/manage/" + "A" * 5000 + "/")
    assert garbage.status_code == 400


def test_unconfirmed_sign_ups_expire(client):
    from alerts.tasks import run_sweep

    follow("old@example.org", confirmed_at=None)
    Subscription.objects.update(created_at=timezone.now() - datetime.timedelta(hours=49))
    Subscriber.objects.update(confirmed_at=None)
    assert run_sweep()["expired"] == 1
    assert not Subscriber.objects.exists()


def test_manage_without_a_password(client):
    first = follow("a@example.org")
    second = follow("a@example.org", {"q": "water"})
    subscriber = first.subscriber
    url = f"/alerts/manage/{tokens.manage_token(subscriber.pk, subscriber.nonce)}/"
    page = client.get(url).content.decode()
    assert "All press releases" in page and "matching “water”" in page
    changed = client.post(
        url,
        {
            "action": "update",
            "subscription": first.pk,
            f"s{first.pk}-frequency": "weekly",
            f"s{first.pk}-digest_hour": "7",
            f"s{first.pk}-time_zone": "Europe/Zurich",
        },
    )
    assert changed.status_code == 200
    first.refresh_from_db()
    assert (first.frequency, first.digest_hour) == ("weekly", 7)
    assert Subscriber.objects.get().time_zone == "Europe/Zurich"
    client.post(url, {"action": "pause", "subscription": second.pk})
    assert Subscription.objects.get(pk=second.pk).paused
    client.post(url, {"action": "unsubscribe", "subscription": second.pk})
    assert list(Subscription.objects.all()) == [first]
    assert client.post(url, {"action": "unsubscribe", "subscription": "x" * 40}).status_code == 400
    client.post(url, {"action": "unsubscribe_all"})
    assert not Subscription.objects.exists()


def test_one_click_unsubscribe_rfc_8058_and_its_replay(client):
    subscription = follow("a@example.org")
    keep = follow("a@example.org", {"q": "water"})
    subscriber = subscription.subscriber
    token = tokens.unsubscribe_token(subscriber.pk, subscriber.nonce, (subscription.pk,))
    url = f"/alerts/unsubscribe/{token}/"
    assert "Unsubscribe" in client.get(url).content.decode()
    assert Subscription.objects.count() == 2  # a GET (a link scanner) changes nothing
    # What a mail provider sends: a POST with this body, no cookie, no CSRF token.
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    assert list(Subscription.objects.all()) == [keep]
    replay = Client(enforce_csrf_checks=True).post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert replay.status_code == 200 and "not subscribed" in replay.content.decode()


def test_erasing_an_address_voids_its_links(client):
    subscription = follow("a@example.org")
    subscriber = subscription.subscriber
    url = f"/alerts/manage/{tokens.manage_token(subscriber.pk, subscriber.nonce)}/"
    subscriber.delete()
    assert client.get(url).status_code == 400

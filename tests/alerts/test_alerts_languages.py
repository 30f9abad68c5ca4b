"""Alerts per language edition: a subscription follows the edition it was made
on; an Urdu release alerts the Urdu edition's followers, rendered with Urdu
active; an English release does not reach them (real SMTP)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from alerts import delivery
from alerts.models import Subscription, stored_languages
from releases import workflow
from releases.models import PressRelease
from tests.alerts.support import follow, html_part
from tests.factories import PressReleaseFactory

pytestmark = pytest.mark.django_db

FORM = {"frequency": "immediate", "digest_hour": "8", "time_zone": "Asia/Karachi"}


@pytest.fixture
def publisher(db):
    return User.objects.create_superuser("boss", "boss@example.org", "x")


def approved(**kwargs) -> PressRelease:
    return PressReleaseFactory(status=PressRelease.Status.APPROVED, publish_at=None, **kwargs)


def test_a_subscription_follows_the_edition_it_was_made_on(client):
    client.post("/ur/alerts/subscribe/", {**FORM, "email": "urdu@example.org"})
    client.post("/alerts/subscribe/", {**FORM, "email": "english@example.org"})
    assert Subscription.objects.get(subscriber__email="urdu@example.org").language_list == ["ur"]
    assert Subscription.objects.get(subscriber__email="english@example.org").language_list == [
        "en-gb"
    ]
    # The same list followed from the other edition: both languages, one subscription.
    client.post("/alerts/subscribe/", {**FORM, "email": "urdu@example.org"})
    assert Subscription.objects.get(subscriber__email="urdu@example.org").language_list == [
        "ur",
        "en-gb",
    ]


def test_an_urdu_release_goes_to_urdu_followers_in_urdu(smtp, publisher):
    follow("english@example.org")
    urdu_reader = follow("urdu@example.org")
    urdu_reader.languages = stored_languages(["ur"])
    urdu_reader.save()
    both = follow("both@example.org")
    both.languages = stored_languages(["en-gb", "ur"])
    both.save()

    english = approved(title="Clinics reopen in Sindh")
    workflow.publish(english, publisher)
    delivery.send_release(english.pk)
    assert sorted(m["To"] for m in smtp.messages) == ["both@example.org", "english@example.org"]

    smtp.messages.clear()
    urdu = approved(title="سندھ میں کلینک دوبارہ کھل گئے", language="ur", slug="sindh-clinics-ur")
    workflow.publish(urdu, publisher)
    delivery.send_release(urdu.pk)
    assert sorted(m["To"] for m in smtp.messages) == ["both@example.org", "urdu@example.org"]
    message = smtp.to("urdu@example.org")[0]
    assert message["Subject"].strip() == "سندھ میں کلینک دوبارہ کھل گئے"
    html = html_part(message)
    # Rendered with Urdu active: the e-mail says so, and links to the Urdu edition.
    assert '<html lang="ur" dir="rtl">' in html
    assert "/ur/releases/sindh-clinics-ur/" in html
    assert '<html lang="ur" dir="rtl">' in html_part(smtp.to("both@example.org")[0])

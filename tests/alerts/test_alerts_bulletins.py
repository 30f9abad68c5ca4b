"""A bulletin (Media Update) sent as one e-mail (issue 13): the releases'
own alerts wait, the bulletin goes when its last embargo lifts, each address
gets it once, and nobody gets a release twice.  Through a real SMTP server;
tasks run in-process (the immediate backend), as the sweep would run them.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from alerts import bulletin_mail, delivery
from alerts.models import BulletinMailing, Delivery
from alerts.tasks import run_sweep
from bulletins.models import Bulletin, BulletinItem
from releases.models import PressRelease
from tests.alerts.support import follow, html_part, text_part
from tests.factories import OrganisationFactory, PressReleaseFactory, UserFactory

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(hours=2)


@pytest.fixture
def media_update():
    """A bulletin of two IOM releases, both scheduled; three addresses."""
    iom = OrganisationFactory(name="IOM Pakistan", acronym="IOM", slug="iom")
    other = OrganisationFactory(slug="other")
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    follow("iom-follower@example.org", {"organisation": "iom"}, confirmed_at=two_days_ago)
    follow("everything@example.org", confirmed_at=two_days_ago)
    follow("other@example.org", {"organisation": "other"}, confirmed_at=two_days_ago)
    first = PressReleaseFactory(
        title="Returnees get legal aid", organisations=[iom], publish_at=timezone.now() + LATER
    )
    second = PressReleaseFactory(
        title="Border officials trained", organisations=[iom], publish_at=timezone.now() + LATER
    )
    PressReleaseFactory(title="Unrelated", organisations=[other], publish_at=timezone.now() + LATER)
    bulletin = Bulletin.objects.create(
        title="Media Update — 19 October 2023",
        slug="media-update-19-october-2023",
        date=datetime.date(2023, 10, 19),
        organisation=iom,
        intro="Two releases this morning.",
    )
    BulletinItem.objects.create(bulletin=bulletin, release=second, order=2)
    BulletinItem.objects.create(bulletin=bulletin, release=first, order=1)
    return bulletin, first, second


def lift(release: PressRelease) -> None:
    PressRelease.objects.filter(pk=release.pk).update(
        publish_at=timezone.now() - datetime.timedelta(minutes=1)
    )


def to(messages, address: str) -> list:
    return [m for m in messages if m["To"] == address]


def test_the_bulletin_goes_once_when_its_last_embargo_lifts(smtp, media_update):
    bulletin, first, second = media_update
    mailing = bulletin_mail.ask(bulletin, UserFactory())
    assert bulletin_mail.ask(bulletin) == mailing  # asking twice is one mailing

    lift(first)
    assert delivery.send_release(first.pk) == {"skipped": "held for its bulletin"}
    run_sweep()
    assert smtp.messages == []  # the first release's own alert waits for the bulletin

    lift(second)
    run_sweep()
    (iom,) = to(smtp.messages, "iom-follower@example.org")
    (everything,) = to(smtp.messages, "everything@example.org")
    assert to(smtp.messages, "other@example.org") == []
    assert iom["Subject"].startswith("Media Update — 19 October 2023")
    text = text_part(iom)
    assert text.index("Returnees get legal aid") < text.index("Border officials trained")
    assert "Two releases this morning." in text
    assert re.search(r"<h1[^>]*>Media Update — 19 October 2023</h1>", html_part(everything))
    assert iom["List-Unsubscribe"] and iom["List-Unsubscribe-Post"]

    # Gone: marked sent; later sweeps and the releases' own tasks send nothing more.
    mailing.refresh_from_db()
    assert mailing.sent_at is not None
    run_sweep()
    assert delivery.send_release(first.pk).get("sent", 0) == 0
    assert delivery.send_bulletin(mailing.pk) == {"skipped": "no such mailing, or gone"}
    assert len(smtp.messages) == 2
    rows = Delivery.objects.filter(release__in=[first, second])
    assert rows.count() == 4  # two addresses × two releases, each once
    assert set(rows.values_list("kind", flat=True)) == {"bulletin"}


def test_asked_after_the_alerts_went_it_sends_nothing_twice(smtp, media_update):
    bulletin, first, second = media_update
    lift(first)
    lift(second)
    run_sweep()
    assert len(smtp.messages) == 4  # two alerts each, as before bulletins
    mailing = bulletin_mail.ask(bulletin)
    assert bulletin_mail.due() == [mailing.pk]
    counts = delivery.send_bulletin(mailing.pk)
    assert counts["sent"] == 0
    assert len(smtp.messages) == 4
    mailing.refresh_from_db()
    assert mailing.sent_at is not None


def test_a_draft_in_the_bulletin_holds_nothing_back(smtp, media_update):
    bulletin, first, second = media_update
    PressRelease.objects.filter(pk=second.pk).update(status=PressRelease.Status.DRAFT)
    bulletin_mail.ask(bulletin)
    lift(first)
    run_sweep()
    (message,) = to(smtp.messages, "iom-follower@example.org")
    assert "Returnees get legal aid" in text_part(message)
    assert "Border officials trained" not in text_part(message)


def test_a_suppressed_address_gets_no_copy(smtp, media_update):
    from alerts.models import Suppression

    bulletin, first, second = media_update
    Suppression.objects.create(email="everything@example.org", reason="bounced")
    mailing = bulletin_mail.ask(bulletin)
    lift(first)
    lift(second)
    run_sweep()
    assert to(smtp.messages, "everything@example.org") == []
    assert len(to(smtp.messages, "iom-follower@example.org")) == 1
    assert BulletinMailing.objects.get(pk=mailing.pk).sent_at is not None


def test_staff_ask_for_it_in_the_admin(client, media_update, django_user_model):
    bulletin = media_update[0]
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org"))
    response = client.post(
        "/admin/alerts/bulletinmailing/add/", {"bulletin": bulletin.pk}, follow=True
    )
    assert response.status_code == 200
    assert "It will go when the last of its releases is public" in response.text
    assert BulletinMailing.objects.get().bulletin == bulletin
    listing = client.get("/admin/alerts/bulletinmailing/").text
    assert "Waiting for its releases" in listing

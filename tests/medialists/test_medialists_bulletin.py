"""A bulletin sent to media lists goes as one e-mail per person with all its
releases, at the latest embargo instant, each release once per person.
Through the real SMTP server."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from bulletins.models import Bulletin, BulletinItem
from medialists import bulletin_sends, plans, sending
from medialists.models import Distribution, Recipient
from tests.alerts.support import text_part
from tests.factories import PressReleaseFactory
from tests.medialists.conftest import fixed_list, person

pytestmark = pytest.mark.django_db


def make_bulletin(*releases) -> Bulletin:
    bulletin = Bulletin.objects.create(
        title="Media Update — 3 December", slug="media-update-3-december", date=timezone.now()
    )
    for order, release in enumerate(releases):
        BulletinItem.objects.create(bulletin=bulletin, release=release, order=order)
    return bulletin


def test_one_email_per_person_with_the_releases_they_have_not_had(
    smtp, publisher, django_capture_on_commit_callbacks
):
    first = PressReleaseFactory(title="Harbour reopens")
    second = PressReleaseFactory(title="Bridge closes for repairs")
    ana, bo = person("Ana", "ana@example.org"), person("Bo", "bo@example.org")
    media_list = fixed_list("Desk", [ana, bo])
    with django_capture_on_commit_callbacks(execute=True):
        plans.plan(first, [fixed_list("Earlier", [bo])], "", publisher)  # Bo had the first
    assert len(smtp.messages) == 1
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = plans.plan_bulletin(make_bulletin(first, second), [media_list], "", publisher)
    assert len(done) == 2
    assert Counter(m["X-Envelope-To"] for m in smtp.messages) == {
        "ana@example.org": 1,
        "bo@example.org": 1,
    }
    (to_ana,) = smtp.to("ana@example.org")
    assert to_ana["Subject"] == "Media Update — 3 December"
    body = text_part(to_ana)
    assert body.index("Harbour reopens") < body.index("Bridge closes for repairs")
    (to_bo,) = smtp.to("bo@example.org")
    assert "Bridge closes for repairs" in text_part(to_bo)
    assert "Harbour reopens" not in text_part(to_bo)
    # Ana's two copies carry the one message's id (the webhooks move both).
    ids = set(Recipient.objects.filter(person=ana).values_list("message_id", flat=True))
    assert len(ids) == 1 and ids != {""}
    assert all(sending.report(d)["left"] >= 1 for d in done)


def test_the_email_waits_for_the_latest_embargo_and_never_carries_an_embargoed_release(
    smtp, publisher, django_capture_on_commit_callbacks
):
    now = timezone.now()
    public = PressReleaseFactory(title="Out already")
    later = PressReleaseFactory(title="Embargoed one", publish_at=now + datetime.timedelta(hours=2))
    media_list = fixed_list("Desk", [person("Ana", "ana@example.org")])
    with django_capture_on_commit_callbacks(execute=True):
        done = plans.plan_bulletin(make_bulletin(public, later), [media_list], "", publisher)
    batch = done[0].batch
    assert smtp.messages == []
    # The sweep before the instant, and the single release's own task: nothing.
    plans.sweep(timezone.now())
    assert sending.send_release_copies(public.pk).get("sent", 0) == 0
    assert bulletin_sends.send(str(batch)) == {"skipped": "not due"}
    assert smtp.messages == []
    with time_machine.travel(later.publish_at + datetime.timedelta(seconds=1)):
        bulletin_sends.send(str(batch))
        bulletin_sends.send(str(batch))  # twice: nothing more
    (message,) = smtp.messages
    assert "Out already" in text_part(message) and "Embargoed one" in text_part(message)
    assert all(d.finished_at for d in Distribution.objects.filter(batch=batch))


def test_the_bulletin_send_page_previews_the_one_email(client, publisher):
    bulletin = make_bulletin(PressReleaseFactory(title="Harbour reopens"))
    media_list = fixed_list("Desk", [person("Ana", "ana@example.org")])
    client.force_login(publisher)
    url = reverse("admin:medialists_distribution_send_bulletin", args=[bulletin.pk])
    page = client.post(url, {"lists": [media_list.pk], "note": "Hi", "preview": "1"})
    text = page.content.decode()
    assert "one e-mail per journalist" in text
    assert 'id="email-preview-html"' in text and 'sandbox=""' in text
    assert "Media Update — 3 December" in text

"""The yearly re-confirmation, run by the worker's sweep: a signed link a month before
the year is up (once), one click by the signed-in journalist renews; past the year,
lapsed with an event and an e-mail.  Time moves with time-machine."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import pytest
import time_machine
from django.utils import timezone

from alerts.tasks import run_sweep
from journalists.access import trusted_journalist
from journalists.models import EmbargoAgreement, Journalist
from tests.journalists.support import body, first_link, make_journalist, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

START = datetime.datetime(2026, 1, 10, 9, 0, tzinfo=datetime.UTC)


def days(n: int) -> datetime.datetime:
    return START + datetime.timedelta(days=n)


@pytest.fixture
def journalist():
    with time_machine.travel(START, tick=False):
        return make_journalist("ana@wire.example", status="approved", confirmed_at=START)


def test_nothing_happens_in_the_first_eleven_months(journalist, smtp):
    assert run_sweep(days(300))  # the alerts' sweep runs ours too
    journalist.refresh_from_db()
    assert journalist.status == "approved"
    assert smtp.messages == []


def test_the_reminder_goes_once_and_its_link_reconfirms(journalist, smtp, client):
    with time_machine.travel(days(340), tick=False):
        run_sweep(timezone.now())
        run_sweep(timezone.now())  # a second sweep does not send again
        (message,) = smtp.to("ana@wire.example")
        assert "another year" in body(message)
        path = urlsplit(first_link(message, "/journalists/reconfirm/")).path

        # The link wants the journalist signed in, then one button.
        assert client.get(path)["Location"].startswith("/account/login/")
        sign_in(client, "ana@wire.example")
        assert b"Confirm my account" in client.get(path).content
        assert client.post(path).status_code == 302
        journalist.refresh_from_db()
        assert journalist.confirmed_at == timezone.now()
        assert journalist.events.filter(action="reconfirmed").exists()
        # Spent: the same link does not work twice.
        assert client.get(path).status_code == 400

    # A year from the re-confirmation, not from the start: still approved at day 380.
    run_sweep(days(380))
    journalist.refresh_from_db()
    assert journalist.status == "approved"


def test_another_journalist_cannot_use_the_link(journalist, smtp, client):
    make_journalist("pat@paper.example", status="approved")
    with time_machine.travel(days(340), tick=False):
        run_sweep(timezone.now())
        path = urlsplit(first_link(smtp.to("ana@wire.example")[0], "/reconfirm/")).path
        sign_in(client, "pat@paper.example")
        assert client.post(path).status_code == 400
    journalist.refresh_from_db()
    assert journalist.confirmed_at == START


def test_past_the_year_the_account_lapses_with_an_event_and_an_email(journalist, smtp):
    EmbargoAgreement.objects.create(version=1, text="Words.", published_at=START)
    with time_machine.travel(days(366), tick=False):
        # approved() already leaves them out before any sweep runs.
        assert not Journalist.objects.approved().filter(pk=journalist.pk).exists()
        assert trusted_journalist(journalist.user) is None
        run_sweep(timezone.now())
    journalist.refresh_from_db()
    assert journalist.status == "lapsed"
    event = journalist.events.get(action="lapsed")
    assert event.by is None and event.reason
    assert "lapsed" in body(smtp.to("ana@wire.example")[-1])


def test_a_link_used_after_the_year_does_not_bring_the_account_back(journalist, smtp, client):
    with time_machine.travel(days(340), tick=False):
        run_sweep(timezone.now())
        path = urlsplit(first_link(smtp.to("ana@wire.example")[0], "/reconfirm/")).path
    with time_machine.travel(days(370), tick=False):
        sign_in(client, "ana@wire.example")
        client.post(path)  # before any sweep lapsed it
        journalist.refresh_from_db()
        assert journalist.confirmed_at == START
        assert not Journalist.objects.approved().filter(pk=journalist.pk).exists()

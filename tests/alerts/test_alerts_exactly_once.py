"""Exactly once across a SIGKILL (``alerts.handover``), with a real worker
process and a real SMTP server that holds its answer at the chosen instant.

* killed while the server holds ``RCPT TO`` (claimed, never handed over):
  the second worker sends it, and every address has one copy;
* killed while the server holds its answer to the ``"."`` (handed over, in
  doubt — the worst instant): the server took the message, the row is sent
  again with the same Message-ID, so every address has one *e-mail* (one
  Message-ID); the one extra copy is the row's ``in_doubt``;
* a live worker held longer than two leases keeps its claim (heartbeat);
* a hand-over whose claim was taken back sends nothing (fencing).
"""

from __future__ import annotations

import datetime
import signal
import threading
import time
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from alerts import delivery, handover, messages
from alerts.models import Delivery
from releases import workflow
from releases.models import PressRelease
from tests.alerts.support import SMTPServer, Worker, follow, wait_for
from tests.factories import PressReleaseFactory

ADDRESSES = [f"r{n}@example.org" for n in range(6)]
VICTIM = ADDRESSES[2]  # rows go in order: two are sent before it


@pytest.fixture
def cluster(tmp_path, settings):
    """A real queue, an SMTP server, and workers started on demand."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    server = SMTPServer().__enter__()
    started: list[Worker] = []

    def make() -> Worker:
        worker = Worker(server, tmp_path / "worker.log", rate=0, lease=4)
        started.append(worker)
        worker.start()
        return worker

    yield server.inbox, make
    for worker in started:
        worker.stop(signal.SIGKILL)
    for event in [*server.inbox.hold_rcpt.values(), *server.inbox.hold_data.values()]:
        event.set()
    server.__exit__()


def publish_to_all() -> PressRelease:
    for address in ADDRESSES:
        follow(address)
    boss = User.objects.create_superuser("boss", "boss@example.org", "x")
    release = PressReleaseFactory(status=PressRelease.Status.APPROVED, publish_at=None)
    workflow.publish(release, boss)
    return release


def row_of(release: PressRelease, address: str) -> Delivery:
    return Delivery.objects.get(release=release, subscriber__email=address)


def finish_with_a_second_worker(inbox, make, release: PressRelease) -> None:
    make()
    sent = Delivery.objects.filter(release=release, status=Delivery.Status.SENT)
    assert wait_for(lambda: sent.count() == len(ADDRESSES), timeout=60, step=0.2), (
        f"not all sent: {Counter(Delivery.objects.values_list('status', flat=True))}"
    )
    time.sleep(1.5)  # anything extra would arrive now


def message_ids(inbox) -> dict[str, set[str]]:
    ids: dict[str, set[str]] = {}
    for message in inbox.messages:
        ids.setdefault(message["To"], set()).add(message["Message-ID"])
    return ids


@pytest.mark.django_db(transaction=True)
def test_killed_before_the_hand_over_each_address_gets_one_copy(cluster):
    inbox, make = cluster
    inbox.hold_rcpt[VICTIM] = threading.Event()
    release = publish_to_all()
    first = make()
    assert wait_for(lambda: f"rcpt:{VICTIM}" in inbox.holding, timeout=30)
    assert row_of(release, VICTIM).status == Delivery.Status.CLAIMED
    first.stop(signal.SIGKILL)
    inbox.hold_rcpt[VICTIM].set()  # the server now finds the client gone

    finish_with_a_second_worker(inbox, make, release)
    assert Counter(m["To"] for m in inbox.messages) == dict.fromkeys(ADDRESSES, 1)
    row = row_of(release, VICTIM)
    assert row.in_doubt == 0 and row.attempts == 2  # claimed twice, handed over once
    assert inbox.to(VICTIM)[0]["Message-ID"] == row.message_id


@pytest.mark.django_db(transaction=True)
def test_killed_after_the_hand_over_the_resend_has_the_same_message_id(cluster):
    inbox, make = cluster
    inbox.hold_data[VICTIM] = threading.Event()
    release = publish_to_all()
    first = make()
    assert wait_for(lambda: f"data:{VICTIM}" in inbox.holding, timeout=30)
    assert row_of(release, VICTIM).status == Delivery.Status.SENDING  # handed over
    first.stop(signal.SIGKILL)
    inbox.hold_data[VICTIM].set()
    assert len(inbox.to(VICTIM)) == 1  # the server read the ".": it has the message

    finish_with_a_second_worker(inbox, make, release)
    # As the reader sees it: one e-mail each (one Message-ID per address).
    ids = message_ids(inbox)
    assert set(ids) == set(ADDRESSES) and {len(v) for v in ids.values()} == {1}
    # On the wire: the victim's one copy in doubt was sent again, and said so.
    copies = Counter(m["To"] for m in inbox.messages)
    assert copies == {**dict.fromkeys(ADDRESSES, 1), VICTIM: 2}
    row = row_of(release, VICTIM)
    assert row.in_doubt == 1  # counted: a possible duplicate, in the report
    assert ids[VICTIM] == {row.message_id}
    assert row.message_id == handover.message_id(f"alert-{row.pk}", messages.site_host())


@pytest.mark.django_db(transaction=True)
def test_a_live_worker_held_past_two_leases_keeps_its_claim(cluster, settings):
    inbox, make = cluster
    settings.ALERTS_CLAIM_LEASE_SECONDS = 4  # the sweep here judges as the worker's does
    inbox.hold_rcpt[VICTIM] = threading.Event()
    release = publish_to_all()
    make()
    assert wait_for(lambda: f"rcpt:{VICTIM}" in inbox.holding, timeout=30)
    claimed_at = time.monotonic()
    while time.monotonic() - claimed_at < 9:  # past two leases, the worker alive
        assert handover.recover(timezone.now()) == {"requeued": 0, "in_doubt": 0, "unknown": 0}
        time.sleep(0.5)
    assert row_of(release, VICTIM).status == Delivery.Status.CLAIMED
    inbox.hold_rcpt[VICTIM].set()
    sent = Delivery.objects.filter(release=release, status=Delivery.Status.SENT)
    assert wait_for(lambda: sent.count() == len(ADDRESSES), timeout=30, step=0.2)
    time.sleep(1)
    assert Counter(m["To"] for m in inbox.messages) == dict.fromkeys(ADDRESSES, 1)
    assert row_of(release, VICTIM).attempts == 1


@pytest.mark.django_db
def test_a_hand_over_whose_claim_was_taken_back_sends_nothing(smtp):
    follow("a@example.org", confirmed_at=timezone.now() - datetime.timedelta(hours=1))
    release = PressReleaseFactory(publish_at=timezone.now() - datetime.timedelta(minutes=1))
    delivery.fan_out(release)
    row = Delivery.objects.get()
    assert delivery.claim(row.pk, release.pk, "worker-a")
    # Its lease ran out, the sweep took it back, and worker B claimed it.
    Delivery.objects.filter(pk=row.pk).update(status="queued", claimed_by="")
    assert delivery.claim(row.pk, release.pk, "worker-b")
    connection = get_connection()
    late = handover.HandOver(Delivery.objects.filter(pk=row.pk), "worker-a")
    message = EmailMessage("Alert", "text", "news@example.org", ["a@example.org"])
    with pytest.raises(handover.LostClaimError):
        delivery.send(message, connection, late)
    assert smtp.messages == []  # the DATA was abandoned before its "."
    # The connection is usable again, and worker B's hand-over goes.
    mine = handover.HandOver(Delivery.objects.filter(pk=row.pk), "worker-b")
    delivery.send(message, connection, mine)
    connection.close()
    assert [m["To"] for m in smtp.messages] == ["a@example.org"]
    assert Delivery.objects.get().status == Delivery.Status.SENDING  # settled by its caller

"""A real worker process (``manage.py alerts_worker`` → django-tasks-db's
``db_worker``) against this test database and a real SMTP server.

The database must be one the worker process can open: on SQLite the test
database is a file (``DATABASES["default"]["TEST"]["NAME"]`` in settings),
on PostgreSQL it is the test database by name; the data is committed
(``transaction=True``) so the worker sees it.
"""

from __future__ import annotations

import datetime
import os
import signal
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alerts import bulletin_mail
from alerts.models import Delivery
from alerts.tasks import revive_dead_tasks, send_release_alerts
from bulletins.models import Bulletin, BulletinItem
from releases import workflow
from releases.models import PressRelease
from tests.alerts.support import SMTPServer, Worker, follow, wait_for
from tests.factories import PressReleaseFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def worker_parts(tmp_path, real_queue):
    server = SMTPServer().__enter__()
    started: list[Worker] = []

    def make(rate: float = 0) -> Worker:
        worker = Worker(server, tmp_path / "worker.log", rate)
        started.append(worker)
        return worker

    yield server, make
    for worker in started:
        worker.stop(signal.SIGKILL)
    server.__exit__()
    if os.environ.get("ALERTS_SHOW_WORKER_LOG"):
        print((tmp_path / "worker.log").read_text())


def approved_release() -> PressRelease:
    return PressReleaseFactory(status=PressRelease.Status.APPROVED, publish_at=None)


def test_a_scheduled_release_arrives_at_its_instant_once_per_subscriber(worker_parts):
    server, make = worker_parts
    inbox = server.inbox
    for n in range(3):
        follow(f"s{n}@example.org")
    boss = User.objects.create_superuser("boss", "boss@example.org", "x")
    instant = timezone.now() + datetime.timedelta(seconds=5)
    workflow.schedule(approved_release(), boss, publish_at=instant)
    worker = make()
    worker.start()
    early = wait_for(
        lambda: inbox.messages, timeout=max(0, (instant - timezone.now()).total_seconds() - 0.3)
    )
    assert not early, "an alert left before the embargo lifted"
    assert wait_for(lambda: len(inbox.messages) >= 3, timeout=30)
    time.sleep(1.5)  # anything extra would arrive now
    arrived = Counter(m["To"] for m in inbox.messages)
    assert arrived == {f"s{n}@example.org": 1 for n in range(3)}
    assert all(float(m["X-Arrived-At"]) >= instant.timestamp() for m in inbox.messages)


def test_a_worker_killed_mid_batch_and_restarted_sends_each_address_once(worker_parts):
    server, make = worker_parts
    inbox = server.inbox
    addresses = [f"s{n:03d}@example.org" for n in range(200)]
    for address in addresses:
        follow(address)
    boss = User.objects.create_superuser("boss", "boss@example.org", "x")
    release = approved_release()
    workflow.publish(release, boss)
    first = make(rate=40)
    first.start()
    sent = Delivery.objects.filter(release=release, status="sent")
    assert wait_for(lambda: sent.count() >= 50, timeout=40, step=0.002)
    first.stop(signal.SIGKILL)  # no clean-up, mid fan-out
    at_kill = sent.count()
    assert at_kill < 200, "the worker finished before it could be killed"

    # The killed worker's task row is RUNNING for ever; once past the timeout
    # the sweep fails it and enqueues the task again (the clock is moved on
    # rather than waited for).
    stuck = DBTaskResult.objects.filter(status="RUNNING", task_path=send_release_alerts.module_path)
    (dead,) = stuck
    later = timezone.now() + datetime.timedelta(minutes=settings.ALERTS_TASK_TIMEOUT_MINUTES + 1)
    assert revive_dead_tasks(timezone.now()) == 0  # not before its time
    assert revive_dead_tasks(later) == 1
    dead.refresh_from_db()
    assert dead.status == "FAILED" and "enqueued again" in dead.traceback
    assert DBTaskResult.objects.filter(
        status="READY", task_path=dead.task_path, args_kwargs=dead.args_kwargs
    ).exists()

    second = make(rate=0)
    second.start()
    sent_rows = Delivery.objects.filter(release=release, status="sent")
    assert wait_for(lambda: sent_rows.count() == 200, timeout=40)
    time.sleep(1.5)  # anything extra would arrive now
    # Exactly once as the reader sees it: every address has the release under
    # one Message-ID.  (Only a kill between the hand-over and the settle can
    # make a second copy, with that same id, counted on its row's in_doubt.)
    ids: dict[str, set[str]] = {}
    for message in inbox.messages:
        ids.setdefault(message["To"], set()).add(message["Message-ID"])
    assert set(ids) == set(addresses), "an address never got the release"
    assert {len(v) for v in ids.values()} == {1}, "an address got two different e-mails"
    copies = Counter(m["To"] for m in inbox.messages)
    doubtful = set(
        Delivery.objects.filter(release=release, in_doubt__gt=0).values_list(
            "subscriber__email", flat=True
        )
    )
    assert {a for a, n in copies.items() if n > 1} <= doubtful
    assert len(doubtful) <= 1


def test_a_bulletin_goes_as_one_email_when_its_last_embargo_lifts(worker_parts):
    """Two releases of a Media Update lift 3 s apart: nothing leaves at the
    first (its alert waits for the bulletin), then each subscriber gets the
    bulletin once — through a real worker and SMTP server."""
    server, make = worker_parts
    inbox = server.inbox
    for n in range(3):
        follow(f"b{n}@example.org")
    boss = User.objects.create_superuser("boss", "boss@example.org", "x")
    first, second = approved_release(), approved_release()
    bulletin = Bulletin.objects.create(
        title="Media Update — two releases", slug="media-update-two", date=timezone.localdate()
    )
    BulletinItem.objects.create(bulletin=bulletin, release=first, order=1)
    BulletinItem.objects.create(bulletin=bulletin, release=second, order=2)
    bulletin_mail.ask(bulletin, boss)
    now = timezone.now()
    workflow.schedule(first, boss, publish_at=now + datetime.timedelta(seconds=4))
    last = now + datetime.timedelta(seconds=7)
    workflow.schedule(second, boss, publish_at=last)
    make().start()
    early = wait_for(
        lambda: inbox.messages, timeout=max(0, (last - timezone.now()).total_seconds() - 0.3)
    )
    assert not early, "something left before the bulletin's last embargo lifted"
    assert wait_for(lambda: len(inbox.messages) >= 3, timeout=30)
    time.sleep(1.5)  # anything extra would arrive now
    assert Counter(m["To"] for m in inbox.messages) == {f"b{n}@example.org": 1 for n in range(3)}
    assert all(m["Subject"].startswith("Media Update — two releases") for m in inbox.messages)
    assert all(float(m["X-Arrived-At"]) >= last.timestamp() for m in inbox.messages)

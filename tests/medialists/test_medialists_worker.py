"""A real worker process and a real SMTP server: a media-list send goes at
the embargo instant, once per person; an embargo taken off the calendar
before its instant sends nothing at the old time."""

from __future__ import annotations

import datetime
import os
import signal
import time
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from medialists import plans
from releases import workflow
from releases.models import PressRelease
from tests.alerts.support import SMTPServer, Worker, wait_for
from tests.factories import PressReleaseFactory
from tests.medialists.conftest import fixed_list, person, smart_list

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_parts(tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    server = SMTPServer().__enter__()
    worker = Worker(server, tmp_path / "worker.log", rate=0)
    yield server, worker
    worker.stop(signal.SIGKILL)
    server.__exit__()
    if os.environ.get("ALERTS_SHOW_WORKER_LOG"):
        print((tmp_path / "worker.log").read_text())


def test_a_scheduled_send_arrives_at_the_instant_and_an_unscheduled_one_never(worker_parts):
    server, worker = worker_parts
    inbox = server.inbox
    boss = User.objects.create_superuser("boss", "boss@example.org", "x")
    both = person("Ana Both", "ana@example.org", beats=["energy"])
    lists = [
        fixed_list("Wires", [both, person("Bo Fixed", "bo@example.org")]),
        smart_list("Energy", beats=["energy"]),
    ]
    person("Cy Smart", "cy@example.org", beats=["energy"])
    kept = PressReleaseFactory(status=PressRelease.Status.APPROVED, publish_at=None)
    dropped = PressReleaseFactory(status=PressRelease.Status.APPROVED, publish_at=None)
    plans.plan(kept, lists, "", boss)
    plans.plan(dropped, lists, "", boss)
    instant = timezone.now() + datetime.timedelta(seconds=5)
    workflow.schedule(kept, boss, publish_at=instant)
    workflow.schedule(dropped, boss, publish_at=instant)
    workflow.unschedule(PressRelease.objects.get(pk=dropped.pk), boss, note="Held back.")
    worker.start()
    early = wait_for(
        lambda: inbox.messages, timeout=max(0, (instant - timezone.now()).total_seconds() - 0.3)
    )
    assert not early, "a copy left before the embargo lifted"
    assert wait_for(lambda: len(inbox.messages) >= 3, timeout=30)
    time.sleep(2.5)  # anything extra (the unscheduled release, a second copy) would arrive now
    arrived = Counter((m["X-Envelope-To"], m["Subject"]) for m in inbox.messages)
    assert arrived == {(e, kept.title): 1 for e in ("ana@example.org", "bo@example.org",
                                                    "cy@example.org")}  # fmt: skip
    assert all(float(m["X-Arrived-At"]) >= instant.timestamp() for m in inbox.messages)

"""Task rows a dead worker left RUNNING are failed and enqueued again.

These rows are aged artificially (their ``started_at`` set back); the real
thing — a worker process killed with SIGKILL mid-task — is in
``test_alerts_worker.py::test_a_worker_killed_mid_batch_and_restarted_sends_each_address_once``.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alerts import tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def real_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.ALERTS_TASK_TIMEOUT_MINUTES = 30


def running(task, *args, minutes_ago: int) -> DBTaskResult:
    result = task.enqueue(*args)
    row = DBTaskResult.objects.get(pk=result.id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        status="RUNNING",
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        worker_ids=["host:4242"],
    )
    return row


def test_the_sweep_revives_only_old_running_rows_of_the_alerts(
    django_capture_on_commit_callbacks,
):
    dead = running(tasks.send_release_alerts, 7, minutes_ago=45)
    busy = running(tasks.send_digest, 8, minutes_ago=5)  # a slow task, still alive
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.run_sweep()["revived"] == 1
    dead.refresh_from_db()
    busy.refresh_from_db()
    assert dead.status == "FAILED" and "host:4242" in dead.traceback
    assert busy.status == "RUNNING"
    again = DBTaskResult.objects.filter(status="READY", task_path=dead.task_path)
    assert list(again.values_list("args_kwargs", flat=True)) == [{"args": [7], "kwargs": {}}]
    # Once revived is done: the next sweep finds nothing more to revive.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.run_sweep()["revived"] == 0


def test_with_another_queue_the_sweep_leaves_task_rows_alone(settings):
    dead = running(tasks.send_release_alerts, 9, minutes_ago=45)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert tasks.revive_dead_tasks() == 0
    dead.refresh_from_db()
    assert dead.status == "RUNNING"

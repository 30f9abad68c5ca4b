"""The press room's task: the advance notices of one release, run by the worker."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task  # Django 6: from django.tasks import task

from pressroom import notices
from pressroom.models import AdvanceAccess


@task()
def send_advance_notices(release_id: int) -> dict:
    """Safe to run twice (each notice claimed before it goes): the sweep may revive it."""
    return notices.send_notices(release_id)


def plan(access: AdvanceAccess) -> None:
    """Book the notices of ``access`` for its opening time, after the commit.

    A queue that cannot hold a job until later (the in-process backend of
    the tests) is left to the sweep, which sends what is due at each run.
    """
    if not access.enabled or access.opens_at is None:
        return
    when, release_id = access.opens_at, access.release_id

    def enqueue() -> None:
        job = send_advance_notices
        if when > timezone.now():
            if not job.get_backend().supports_defer:
                return
            job = job.using(run_after=when)
        job.enqueue(release_id)

    transaction.on_commit(enqueue)

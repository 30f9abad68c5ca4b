"""The worker's tasks for media lists (django-tasks, as the alerts')."""

from __future__ import annotations

from django_tasks import task  # Django 6: from django.tasks import task

from medialists import import_jobs, sending


@task()
def send_release_copies(release_id: int) -> dict:
    """Send the waiting media-list copies of one release (nothing if not public now).

    Safe to run twice: each copy is claimed before it goes."""
    return sending.send_release_copies(release_id)


@task()
def run_import(upload_id: int) -> dict:
    """Import a large confirmed upload, all or nothing, saving its progress.

    Safe to run twice: the upload is claimed before the work starts."""
    return import_jobs.run(upload_id)


@task()
def send_bulletin_copies(batch: str) -> dict:
    """Send a bulletin's waiting media-list copies, one e-mail per person
    (nothing before the batch's instant).  Safe to run twice: each copy is claimed."""
    from medialists import bulletin_sends

    return bulletin_sends.send(batch)

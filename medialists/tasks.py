"""The worker's tasks for media lists (django-tasks, as the alerts')."""

from __future__ import annotations

from django_tasks import task  # Django 6: from django.tasks import task

from medialists import sending


@task()
def send_release_copies(release_id: int) -> dict:
    """Send the waiting media-list copies of one release (nothing if not public now).

    Safe to run twice: each copy is claimed before it goes."""
    return sending.send_release_copies(release_id)

"""The desk's work for the task worker (Django's tasks API, as in ``alerts.tasks``).

The invitation e-mail is sent here, not in the request: an SMTP server
that is slow or down must not keep the admin waiting or lose the account
just created.  A failure is the task's (its result row says why); the admin
has already seen the link on screen.
"""

from __future__ import annotations

from django_tasks import task  # Django 6: from django.tasks import task

from desk import mail


@task()
def send_invitation(user_id: int, invited_by_id: int | None) -> bool:
    return mail.send_invitation(user_id, invited_by_id)

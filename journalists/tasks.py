"""The journalists' work for the task worker (Django's tasks API, as in ``desk.tasks``).

E-mails are sent here, not in the request: an SMTP server that is slow or
down must not keep a journalist or the staff waiting, nor lose a decision
already recorded.  A failure is the task's (its result row says why).
"""

from __future__ import annotations

from django_tasks import task  # Django 6: from django.tasks import task

from journalists import mail


@task()
def send_status_mail(event_id: int) -> str:
    return mail.send_status_mail(event_id)


@task()
def send_reconfirm_mail(journalist_id: int) -> str:
    return mail.send_reconfirm_mail(journalist_id)


@task()
def send_account_mail(subject: str, body: str, html: str, to: list[str]) -> str:
    return mail.send_account_mail(subject, body, html, to)

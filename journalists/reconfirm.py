"""The yearly re-confirmation: remind, and lapse those who did not answer.

Run by the worker's sweep (``alerts.sweeps``, registered in
``JournalistsConfig.ready``).  An approved journalist whose ``confirmed_at``
is older than ``JOURNALISTS_RECONFIRM_AFTER`` less
``JOURNALISTS_RECONFIRM_NOTICE_DAYS`` is e-mailed a signed link, once per
year (a ``reminded`` event after the last confirmation marks it sent); one
older than ``JOURNALISTS_RECONFIRM_AFTER`` lapses (``journalists.rules``:
event and e-mail).  ``Journalist.objects.approved()`` already excludes
them from that instant on, so a late sweep never extends anyone's access.

The link carries the journalist's id and the instant of their last
confirmation, signed: once used (``confirmed_at`` moves) it is spent, and a
journalist who is no longer approved cannot use it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef

from journalists.models import Journalist, JournalistEvent
from journalists.tokens import read_token, token_for

__all__ = ["read_token", "run", "token_for"]


def notice_cutoff(now: datetime.datetime) -> datetime.datetime:
    return (
        now
        - settings.JOURNALISTS_RECONFIRM_AFTER
        + datetime.timedelta(days=settings.JOURNALISTS_RECONFIRM_NOTICE_DAYS)
    )


def run(now: datetime.datetime) -> dict[str, Any]:
    """One sweep: lapse the overdue, remind the nearly due (each once)."""
    from journalists import rules, tasks

    status = Journalist.Status
    overdue = Journalist.objects.filter(
        status=status.APPROVED, confirmed_at__lt=now - settings.JOURNALISTS_RECONFIRM_AFTER
    )
    lapsed = 0
    for journalist in overdue:
        try:
            rules.lapse(journalist, now=now)
            lapsed += 1
        except rules.RuleError:  # changed meanwhile
            continue
    reminded_since = JournalistEvent.objects.filter(
        journalist=OuterRef("pk"),
        action=JournalistEvent.Action.REMINDED,
        at__gte=OuterRef("confirmed_at"),
    )
    due = (
        Journalist.objects.filter(status=status.APPROVED, confirmed_at__lt=notice_cutoff(now))
        .exclude(confirmed_at__lt=now - settings.JOURNALISTS_RECONFIRM_AFTER)
        .filter(~Exists(reminded_since))
    )
    reminded = 0
    for journalist in due:
        with transaction.atomic():
            JournalistEvent.objects.create(
                journalist=journalist,
                action=JournalistEvent.Action.REMINDED,
                status_before=journalist.status,
                status_after=journalist.status,
                at=now,
            )
            journalist_id = journalist.pk
            transaction.on_commit(lambda jid=journalist_id: tasks.send_reconfirm_mail.enqueue(jid))
        reminded += 1
    return {"lapsed": lapsed, "reminded": reminded}

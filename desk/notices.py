""" "For you": the audit log's entries that concern a person, newest first.

Notifications are not a table of their own: they are the audit entries
whose e-mail would go to the person (``alerts.audience.staff_recipients``:
editors hear of a submission, a writer of their release sent back,
published, scheduled or force-published), plus, for publishers, a release
approved and waiting for them.  Never what the person did themselves.
``tests/desk`` checks that this query and the e-mail audience agree.

What is new is decided by one instant per person (:class:`desk.models.ReadMark`),
moved by "Mark all read".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.dates import house_datetime
from desk.models import ReadMark
from releases import workflow
from releases.models import AuditLogEntry
from releases.workflow.permissions import has_perm

Action = AuditLogEntry.Action

#: How far back "For you" looks: a notification older than this is history.
DAYS = 14
#: At most this many lines.
LIMIT = 15

#: What a writer hears about their own releases.
TO_AUTHOR = (
    Action.REJECT,
    Action.PUBLISH,
    Action.SCHEDULE,
    Action.FORCE_PUBLISH,
    Action.WITHDRAW,
)


@dataclass(frozen=True)
class Notice:
    text: str
    when: str
    url: str
    note: str
    new: bool


def concerning(user: Any) -> Q:
    """The audit entries that concern ``user`` (a filter on ``AuditLogEntry``)."""
    wanted = Q(action__in=TO_AUTHOR, release__created_by=user)
    if has_perm(user, workflow.PERM_REVIEW):
        wanted |= Q(action=Action.SUBMIT)
    if has_perm(user, workflow.PERM_PUBLISH):
        wanted |= Q(action=Action.APPROVE)
    return wanted & ~Q(user=user) & Q(release__isnull=False)


def _sentence(entry: AuditLogEntry, user: Any) -> str:
    who = entry.user.get_full_name() or entry.user.username if entry.user else "Someone"
    title = f"“{entry.release_title}”"
    if entry.action == Action.SUBMIT:
        return f"{who} submitted {title} for review."
    if entry.action == Action.APPROVE:
        return f"{who} approved {title}: it can be published or scheduled."
    if entry.action == Action.REJECT:
        return f"{who} sent {title} back to you."
    if entry.action == Action.SCHEDULE:
        return f"{who} scheduled {title} for {house_datetime(entry.publish_at)}."
    if entry.action == Action.FORCE_PUBLISH:
        return f"{who} force-published {title}."
    if entry.action == Action.WITHDRAW:
        return f"{who} withdrew {title}."
    return f"{who} published {title}."


def read_until(user: Any) -> datetime.datetime | None:
    return ReadMark.objects.filter(user=user).values_list("read_until", flat=True).first()


def notices(user: Any, now: datetime.datetime | None = None) -> list[Notice]:
    """The entries of the last :data:`DAYS` days that concern ``user``, newest first."""
    now = now or timezone.now()
    mark = read_until(user)
    entries = (
        AuditLogEntry.objects.filter(
            concerning(user), created_at__gte=now - datetime.timedelta(days=DAYS)
        )
        .select_related("user")
        .order_by("-created_at", "-id")[:LIMIT]
    )
    return [
        Notice(
            text=_sentence(entry, user),
            when=house_datetime(entry.created_at),
            url=reverse("admin:releases_pressrelease_change", args=[entry.release_id]),
            note=entry.note if entry.action in (Action.REJECT, Action.SUBMIT) else "",
            new=mark is None or entry.created_at > mark,
        )
        for entry in entries
    ]


def mark_all_read(user: Any, now: datetime.datetime | None = None) -> None:
    """Everything up to ``now`` is read."""
    ReadMark.objects.update_or_create(user=user, defaults={"read_until": now or timezone.now()})

"""The second look at a force-publish: who may take it, and what taking it records.

A force-publish overrides the two-person rule (``ForcePublish`` flags its
audit entry ``needs_second_look``).  The override is only honest if a
second person does read the release afterwards; until this module existed
the flag could never be cleared, so the list of "needs a second look" only
grew and stopped meaning anything.

The rule, in one place (the dashboard's button and any other caller ask it):

* only a flagged entry that is not yet checked can be checked;
* only someone who could have been the second person: an editor
  (``review_pressrelease``) or a publisher (``publish_pressrelease``);
* never the person who force-published: checking your own override is the
  very thing the rule is there to prevent.

It is written like a transition — check, change, audit — but does not
change the release's state: it marks the *entry* (``checked_by``,
``checked_at``) and appends a ``check`` entry to the release's audit log,
all in one transaction on the locked row, so two people clicking at once
record one check.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.dates import house_datetime
from releases.models import AuditLogEntry
from releases.workflow.base import TransitionError, audit, clean_note
from releases.workflow.permissions import PERM_PUBLISH, PERM_REVIEW, Action, User, has_perm


def awaiting_second_look() -> QuerySet[AuditLogEntry]:
    """Force-publishes nobody has checked yet, oldest first (the longest-waiting on top)."""
    return AuditLogEntry.objects.filter(needs_second_look=True, checked_at__isnull=True).order_by(
        "created_at", "id"
    )


def may_check_at_all(user: User) -> bool:
    """Whether ``user``'s role takes second looks (to show the section and its buttons)."""
    return has_perm(user, PERM_REVIEW) or has_perm(user, PERM_PUBLISH)


def check_can_mark_checked(user: User, entry: AuditLogEntry) -> None:
    """Raise unless ``user`` may mark ``entry`` as checked now; the message is for them."""
    if not may_check_at_all(user):
        raise PermissionDenied("Only an editor or a publisher can check a force-published release.")
    if not entry.needs_second_look:
        raise TransitionError("This entry was not flagged for a second look.")
    if entry.checked_at is not None:
        who = entry.checked_by or "someone"
        raise TransitionError(f"Already checked by {who} on {house_datetime(entry.checked_at)}.")
    if entry.user_id is not None and entry.user_id == user.pk:
        raise PermissionDenied(
            "You force-published this release yourself; someone else must take the second look."
        )


def can_mark_checked(user: User, entry: AuditLogEntry) -> bool:
    """:func:`check_can_mark_checked` as a yes/no, to draw the button."""
    try:
        check_can_mark_checked(user, entry)
    except (PermissionDenied, TransitionError):
        return False
    return True


def mark_checked(
    entry: AuditLogEntry,
    user: User,
    *,
    note: str | None = "",
    now: datetime.datetime | None = None,
) -> AuditLogEntry:
    """Record that ``user`` took the second look at the force-publish ``entry``.

    Locks the entry, checks the rule on the locked row, marks it and writes
    a ``check`` entry on the release's log; returns the ``check`` entry.
    ``entry`` is updated in place.
    """
    cleaned = clean_note(note, None)
    with transaction.atomic():
        locked = (
            AuditLogEntry.objects.select_for_update(of=("self",))
            .select_related("release", "checked_by")
            .get(pk=entry.pk)
        )
        check_can_mark_checked(user, locked)
        at = now or timezone.now()
        locked.checked_by = user
        locked.checked_at = at
        locked.save(update_fields=["checked_by", "checked_at"])
        what = f"Second look at the force-publish of {house_datetime(locked.created_at)}"
        note_text = f"{what}: {cleaned}" if cleaned else what
        release = locked.release
        if release is not None:
            record = audit(
                release,
                user,
                Action.CHECK,
                from_status=release.status,
                to_status=release.status,
                note=note_text,
            )
        else:  # the release was deleted since; the log outlives it
            record = AuditLogEntry.objects.create(
                release=None,
                release_title=locked.release_title,
                action=Action.CHECK,
                user=user,
                note=note_text,
            )
    entry.checked_by = locked.checked_by
    entry.checked_at = locked.checked_at
    return record

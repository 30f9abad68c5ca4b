"""From the workflow's audit log to the task queue.

A publish, schedule or force-publish plans the release's alerts for its
instant; a submission, rejection or publication tells the staff concerned.
Enqueued on commit: a rolled-back transition plans nothing.  The publish
request itself only writes one task row, whatever the number of subscribers.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save

from alerts import tasks
from releases.models import AuditLogEntry

Action = AuditLogEntry.Action
PLANS_ALERTS = {Action.PUBLISH, Action.SCHEDULE, Action.FORCE_PUBLISH}
NOTIFIES_STAFF = {
    Action.SUBMIT,
    Action.APPROVE,
    Action.REJECT,
    Action.PUBLISH,
    Action.SCHEDULE,
    Action.FORCE_PUBLISH,
    Action.WITHDRAW,
}


def on_audit_entry(sender: type, instance: AuditLogEntry, created: bool, **kwargs) -> None:
    if not created or kwargs.get("raw") or instance.release_id is None:
        return
    if instance.action in PLANS_ALERTS and instance.release.status == "published":
        tasks.plan_release(instance.release)
    if instance.action in NOTIFIES_STAFF:
        entry_id = instance.pk
        transaction.on_commit(lambda: tasks.send_staff_notices.enqueue(entry_id))


def connect() -> None:
    post_save.connect(on_audit_entry, sender=AuditLogEntry, dispatch_uid="alerts.audit")

"""The audit log of the editorial workflow.

The audit log is append-only and outlives the release it describes (the
foreign key is nulled on delete and the title is copied), because "who
published this, and why" must still be answerable after a release is deleted
or recovered.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from releases.models.release import PressRelease


class AuditLogEntry(models.Model):
    """One thing someone did to a release: who, when, from which state to which, why."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        EDIT = "edit", "Edited"
        CORRECT = "correct", "Corrected (major change)"
        SUBMIT = "submit", "Submitted for review"
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        PUBLISH = "publish", "Published"
        SCHEDULE = "schedule", "Scheduled"
        UNSCHEDULE = "unschedule", "Unscheduled"
        FORCE_PUBLISH = "force_publish", "Force-published"
        WITHDRAW = "withdraw", "Withdrawn"
        REMOVE = "remove", "Removed"
        RESTORE = "restore", "Restored an earlier revision"
        RECOVER = "recover", "Recovered after deletion"
        PREVIEW_LINK = "preview_link", "Created a preview link"
        REVOKE_PREVIEW_LINK = "revoke_preview_link", "Revoked a preview link"
        CHECK = "check", "Checked a force-publish"
        DISTRIBUTE = "distribute", "Sent to media lists"
        TRANSLATE = "translate", "Translated into another language"

    release = models.ForeignKey(
        PressRelease,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    release_title = models.CharField(max_length=300, help_text="The title when this happened.")
    action = models.CharField(max_length=30, choices=Action.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    from_status = models.CharField(max_length=20, blank=True, choices=PressRelease.Status.choices)
    to_status = models.CharField(max_length=20, blank=True, choices=PressRelease.Status.choices)
    note = models.TextField(blank=True, help_text="Reason, review note or public explanation.")
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="The embargo instant set by this action, if any."
    )
    needs_second_look = models.BooleanField(
        default=False,
        db_index=True,
        help_text="Set when someone overrode the two-person rule (force-publish).",
    )
    # The second look, once taken (``releases.workflow.checks``): without these
    # a flagged force-publish stayed flagged for ever and the list of what
    # still needs looking at only grew.
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who took the second look at this force-publish.",
    )
    checked_at = models.DateTimeField(
        null=True, blank=True, help_text="When the second look was taken."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log"
        indexes = [models.Index(fields=["release", "-created_at"], name="audit_release_recent")]

    def __str__(self) -> str:
        who = self.user or "system"
        return f"{self.get_action_display()} — {self.release_title} — {who}"

"""Records of the editorial workflow: the audit log and shareable preview links.

The audit log is append-only and outlives the release it describes (the
foreign key is nulled on delete and the title is copied), because "who
published this, and why" must still be answerable after a release is deleted
or recovered.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from releases.models.release import PressRelease

#: How long a shareable preview link works unless staff choose otherwise.
PREVIEW_LINK_LIFETIME = datetime.timedelta(days=7)


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

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log"
        indexes = [models.Index(fields=["release", "-created_at"], name="audit_release_recent")]

    def __str__(self) -> str:
        who = self.user or "system"
        return f"{self.get_action_display()} — {self.release_title} — {who}"


class PreviewLinkQuerySet(models.QuerySet):
    def active(self, now: datetime.datetime | None = None) -> PreviewLinkQuerySet:
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


def new_preview_token() -> str:
    return secrets.token_urlsafe(32)


class PreviewLink(models.Model):
    """A link that shows an unpublished release to someone without an account.

    The token is random (256 bits) and the link expires and can be revoked:
    partners check a draft before it goes out, and the link dies on its own.
    """

    release = models.ForeignKey(
        PressRelease, on_delete=models.CASCADE, related_name="preview_links"
    )
    token = models.CharField(max_length=64, unique=True, default=new_preview_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Preview of “{self.release}” until {self.expires_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.expires_at is None:
            self.expires_at = (self.created_at or timezone.now()) + PREVIEW_LINK_LIFETIME
        super().save(*args, **kwargs)

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("release_preview:link", kwargs={"token": self.token})


def _register_revisions() -> None:
    """Keep a revision of every save of a release *with* its link rows.

    Following the issuers, contacts, pictures, documents and change notes is
    what lets a deleted release be recovered whole, and lets a revision be
    compared with another including who issued it.  Registered here, at model
    import, so revisions are kept by the admin, the workflow and commands alike.
    """
    import reversion

    from releases.models.media import ReleaseAttachment, ReleaseImage
    from releases.models.release import ChangeNote, ReleaseContact, ReleaseOrganisation

    for model in (ReleaseOrganisation, ReleaseContact, ReleaseImage, ReleaseAttachment, ChangeNote):
        if not reversion.is_registered(model):
            reversion.register(model)
    if not reversion.is_registered(PressRelease):
        reversion.register(
            PressRelease,
            follow=["issuers", "contact_links", "images", "attachments", "change_notes"],
        )


_register_revisions()

"""Advance access to an embargoed release, the advance notices, and the access log.

Who may read what, when, is not here: it is :mod:`pressroom.rules`.  These
rows only hold what staff chose and what happened.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from journalists.models import Journalist
from releases.models import PressRelease


class AdvanceAccess(models.Model):
    """Staff's choice for one release: public at the instant only, or readable
    by approved journalists from ``opens_at``, optionally within limits.

    ``for_publish_at`` is the embargo instant the choice was made for.  When
    the release is rescheduled (or unscheduled) the two differ and access is
    closed until someone who may grant it saves the choice again: a journalist
    told "embargoed until Tuesday" must not keep reading a release moved to
    next month on terms nobody re-decided.
    """

    release = models.OneToOneField(
        PressRelease, on_delete=models.CASCADE, related_name="advance_access"
    )
    enabled = models.BooleanField(
        "advance access for approved journalists",
        default=False,
        help_text="Off: the release is public at its instant only (nobody reads it before).",
    )
    opens_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="From when approved journalists may read it (e.g. 24 hours before the embargo).",
    )
    for_publish_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="The embargo instant this was set for."
    )
    beats = models.ManyToManyField(
        "taggit.Tag",
        blank=True,
        related_name="+",
        help_text="Only journalists covering one of these topics (empty: no limit by beat).",
    )
    outlets = models.TextField(
        blank=True,
        help_text="Only journalists of these news organisations, one a line (exact names).",
    )
    journalists = models.ManyToManyField(
        Journalist,
        blank=True,
        related_name="+",
        help_text="Only these journalists (by name).",
    )
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "advance access"
        verbose_name_plural = "advance access"
        permissions = [
            ("grant_advance_access", "Can grant approved journalists advance access"),
        ]

    def __str__(self) -> str:
        return f"Advance access to {self.release}"

    @property
    def outlet_names(self) -> list[str]:
        return [line.strip() for line in self.outlets.splitlines() if line.strip()]


class AdvanceNotice(models.Model):
    """One advance-notice e-mail: one release, one journalist, sent at most once.

    Claimed (queued → sending) by one conditional UPDATE before the SMTP
    exchange and settled after, as ``alerts.delivery`` does for alerts, so
    two workers, or a worker and the sweep, never send it twice.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SUPPRESSED = "suppressed", "Suppressed address"
        UNKNOWN = "unknown", "Unknown (worker died while sending)"
        CANCELLED = "cancelled", "Cancelled (access closed)"

    release = models.ForeignKey(PressRelease, on_delete=models.CASCADE, related_name="+")
    journalist = models.ForeignKey(Journalist, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["release", "journalist"], name="pressroom_one_notice_each"
            )
        ]

    def __str__(self) -> str:
        return f"Advance notice of {self.release_id} to {self.journalist_id}: {self.status}"


class AccessLogEntry(models.Model):
    """A journalist opened or downloaded an embargoed item: for breach inquiries.

    The release title and the journalist's name and e-mail are copied, so a
    deleted account or release leaves the record readable.  Kept
    ``PRESSROOM_ACCESS_LOG_DAYS`` days (the sweep deletes older rows).
    """

    class Item(models.TextChoices):
        PAGE = "page", "Release page"
        PICTURE = "picture", "Picture (original)"
        DOCUMENT = "document", "Document"
        MEDIA_KIT = "media_kit", "Media kit"

    release = models.ForeignKey(
        PressRelease, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    release_title = models.CharField(max_length=300)
    journalist = models.ForeignKey(
        Journalist, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    journalist_name = models.CharField(max_length=200)
    journalist_email = models.EmailField(max_length=254)
    journalist_outlet = models.CharField(max_length=200, blank=True)
    item = models.CharField(max_length=12, choices=Item.choices)
    item_id = models.PositiveIntegerField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "embargoed access"
        verbose_name_plural = "embargoed access log"

    def __str__(self) -> str:
        return f"{self.journalist_name} · {self.get_item_display()} · {self.release_title}"

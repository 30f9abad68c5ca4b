"""Who follows what, and every e-mail that left (or must not leave) for them.

* :class:`Subscriber` — one e-mail address, its time zone and its consent.
* :class:`Subscription` — one followed list (a stored query: filters and
  search words), how often, and whether it is confirmed (double opt-in).
* :class:`Delivery` — one release to one address: the unique row claimed
  before sending, so an address gets a release at most once.
* :class:`AlertRun` — a release's fan-out: when it was planned and done.
* :class:`Suppression` — the one list of addresses nothing is ever sent to.
* :class:`StaffNotice` — one workflow notification to one staff member.
* :class:`SignupAttempt` — the sign-up throttle (hashed address, client IP).
"""

from __future__ import annotations

import secrets
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from releases.models import AuditLogEntry, PressRelease


def _nonce() -> str:
    return secrets.token_urlsafe(12)


def default_time_zone() -> str:
    """The newsroom's zone (a callable, so migrations do not freeze it)."""
    return settings.TIME_ZONE


def valid_time_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone this machine knows."""
    return name in zoneinfo.available_timezones()


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")


class Subscriber(models.Model):
    """An e-mail address that asked for alerts.  Lower-cased, unique.

    ``nonce`` is part of every signed link: changing it (on erasure, or by
    an administrator) makes all links in old e-mails stop working.
    """

    email = models.EmailField(max_length=254, unique=True)
    time_zone = models.CharField(max_length=64, default=default_time_zone)
    nonce = models.CharField(max_length=32, default=_nonce, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    #: Soft bounces in a row (``alerts.bounces``): at ``ALERTS_SOFT_BOUNCE_LIMIT``
    #: the address is suppressed; a delivery starts the count again.
    soft_bounces = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        if valid_time_zone(self.time_zone):
            return zoneinfo.ZoneInfo(self.time_zone)
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class SubscriptionQuerySet(models.QuerySet):
    def active(self) -> SubscriptionQuerySet:
        """Confirmed, not paused, and not for a suppressed address."""
        return self.filter(confirmed_at__isnull=False, paused=False).exclude(
            subscriber__email__in=Suppression.objects.values("email")
        )


class Subscription(models.Model):
    """One followed list: a stored query over ``published()`` releases.

    ``query`` holds the search app's own parameters (``organisation``,
    ``tag``, ``partnership``, ``place``, ``q``…); ``query_key`` is their
    canonical string, so one address follows one list once, and the fan-out
    evaluates each distinct query once however many follow it.

    Consent: ``created_at`` (asked), ``source_page`` (from which page),
    ``confirmed_at`` and ``confirmation`` (the signed link that confirmed it).
    """

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    query = models.JSONField(default=dict, blank=True)
    query_key = models.CharField(max_length=1000, blank=True)
    label = models.CharField(max_length=500)
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    digest_hour = models.PositiveSmallIntegerField(
        default=8, help_text="Hour of the digest in the subscriber's time zone (0–23)."
    )
    paused = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    source_page = models.CharField(max_length=1000, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    confirmation = models.CharField(max_length=100, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "query_key"], name="alerts_one_subscription_per_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} — {self.label}"

    @property
    def is_digest(self) -> bool:
        return self.frequency != Frequency.IMMEDIATE


class AlertRun(models.Model):
    """The fan-out of one release: planned (enqueued for its instant) and done."""

    release = models.OneToOneField(PressRelease, on_delete=models.CASCADE, related_name="alert_run")
    planned_for = models.DateTimeField(null=True, blank=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Alerts for {self.release}"


class Delivery(models.Model):
    """One release to one address.  Unique: the row is created (queued),
    claimed (sending) by one worker, then settled.  A row left *sending* by a
    worker that died is never sent again (it becomes *unknown*): at most once.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Complained"
        SUPPRESSED = "suppressed", "Suppressed"
        UNKNOWN = "unknown", "Unknown (worker stopped while sending)"

    class Kind(models.TextChoices):
        ALERT = "alert", "Alert"
        DIGEST = "digest", "Digest"
        BULLETIN = "bulletin", "Bulletin"

    release = models.ForeignKey(PressRelease, on_delete=models.CASCADE, related_name="+")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ALERT)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    #: A digest's idempotency key, ``digest:<subscriber>:<period>``: the rows
    #: of one digest e-mail, sent (or retried) together, never twice.
    digest_key = models.CharField(max_length=64, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    message_id = models.CharField(max_length=255, blank=True, db_index=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["release", "subscriber"], name="alerts_one_delivery_per_address"
            )
        ]
        indexes = [models.Index(fields=["release", "status"], name="alerts_delivery_release")]

    def __str__(self) -> str:
        return f"{self.release_id} → {self.subscriber_id}: {self.status}"


class BulletinMailing(models.Model):
    """A bulletin (a dated Media Update) sent as one e-mail rather than one
    alert per release (``alerts/bulletin_mail.py`` holds the rules).

    While a mailing waits, its releases' own alerts are held back; it goes
    when every release of the bulletin is public (an embargo lifting is what
    completes it), to the immediate subscribers any of them would have
    reached, each release at most once per address as always.
    """

    bulletin = models.OneToOneField(
        "bulletins.Bulletin", on_delete=models.CASCADE, related_name="mailing"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    #: When it went out (its rows all settled); empty while it waits.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "bulletin sent as one e-mail"
        verbose_name_plural = "bulletins sent as one e-mail"

    def __str__(self) -> str:
        return f"{self.bulletin} (one e-mail)"


class Suppression(models.Model):
    """An address nothing is sent to: hard bounce, complaint, or by hand."""

    class Reason(models.TextChoices):
        BOUNCED = "bounced", "Hard bounce"
        SOFT_BOUNCES = "soft", "Soft bounces in a row"
        COMPLAINED = "complained", "Spam complaint"
        MANUAL = "manual", "Added by staff"

    email = models.EmailField(max_length=254, unique=True)
    reason = models.CharField(max_length=12, choices=Reason.choices)
    source = models.CharField(max_length=100, blank=True, help_text="e.g. the provider.")
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_reason_display()})"


class StaffNotice(models.Model):
    """A workflow e-mail to one member of staff, once per audit entry."""

    entry = models.ForeignKey(AuditLogEntry, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=12, choices=Delivery.Status.choices, default=Delivery.Status.QUEUED
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "user"], name="alerts_one_notice_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.entry} → {self.user}"


class SignupAttempt(models.Model):
    """A sign-up, kept an hour or so for the throttle.  The address is kept
    only as a keyed hash: a stranger's typed address is not stored."""

    email_hash = models.CharField(max_length=64, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"sign-up at {self.created_at:%Y-%m-%d %H:%M}"


class SweepClock(models.Model):
    """One row: when the next scheduled sweep is due.  Keeps the worker's
    self-rescheduling sweep a single chain however often workers restart."""

    next_run_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"next sweep at {self.next_run_at:%Y-%m-%d %H:%M:%S}"

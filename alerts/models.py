"""Who follows what, and every e-mail that left (or must not leave) for them.

* :class:`Subscriber` — one e-mail address, its time zone and its consent.
* :class:`Subscription` — one followed list (a stored query: filters and
  search words), how often, and whether it is confirmed (double opt-in).
* :class:`Delivery` — one release to one address: the unique row claimed
  before sending and marked at the hand-over, so an address gets a release
  exactly once (``alerts.delivery``, ``alerts.handover``).
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


def default_languages() -> str:
    """A subscription made before languages existed follows the default
    edition (stored as ``,en-gb,``: see :attr:`Subscription.languages`)."""
    return f",{settings.LANGUAGE_CODE},"


def stored_languages(codes: list[str]) -> str:
    """``,en-gb,ur,``: commas around every code, so ``languages__contains``
    with ``,ur,`` matches exactly one language on SQLite and PostgreSQL alike."""
    return "," + ",".join(dict.fromkeys(codes)) + ","


class SubscriptionQuerySet(models.QuerySet):
    def in_language(self, code: str) -> SubscriptionQuerySet:
        """Subscriptions that follow the ``code`` edition (its releases, in it)."""
        return self.filter(languages__contains=f",{code},")

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
    #: The language editions followed (``,en-gb,ur,``): an Urdu release
    #: alerts those who follow the Urdu edition, in Urdu.  Set from the
    #: edition the address subscribed on; subscribing to the same list on
    #: another edition adds that language.
    languages = models.CharField(
        max_length=200,
        default=default_languages,
        help_text="Language editions followed, comma-separated (e.g. ,en-gb,ur,).",
    )

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
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

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
    claimed by one worker under a lease, marked *sending* at the hand-over
    (just before the end of the SMTP ``DATA``), then settled.

    A claimed row whose lease ran out was never handed over: it goes back to
    the queue.  A *sending* row whose lease ran out is in doubt (the server
    may have taken it): it is sent again with the same ``Message-ID``, and
    ``in_doubt`` counts it as a possible duplicate (``alerts.handover``).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        CLAIMED = "claimed", "Claimed (not handed over yet)"
        SENDING = "sending", "Handed over (the server's answer awaited)"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Complained"
        SUPPRESSED = "suppressed", "Suppressed"
        UNKNOWN = "unknown", "Unknown (in doubt too often, not sent again)"

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
    #: Until when the claim holds: the worker's heartbeat moves it on; past
    #: it, the sweep takes the row back (``alerts.handover.recover``).
    lease_until = models.DateTimeField(null=True, blank=True)
    #: Times the row was sent again after a hand-over with no answer: each one
    #: is a possible duplicate (same ``Message-ID``), shown in the report.
    in_doubt = models.PositiveSmallIntegerField(default=0)
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

"""A journalist's account record, the versions of the embargo agreement, and who accepted which.

The login itself (password, e-mail verification, two-factor) is django-allauth's;
this module holds what the newsroom needs to know to trust a reader with
embargoed material: who they are, where they work, what they cover, and what
the staff decided about them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JournalistQuerySet(models.QuerySet):
    def approved(self) -> JournalistQuerySet:
        """Journalists who may be trusted with embargoed material today.

        Approved by staff, account active, and confirmed within the last year
        (``lapsed`` is set by the yearly sweep; this filter is the rule itself,
        so a lapse is effective even before the sweep runs).
        """
        cutoff = timezone.now() - settings.JOURNALISTS_RECONFIRM_AFTER
        return self.filter(
            status=Journalist.Status.APPROVED,
            user__is_active=True,
            confirmed_at__gte=cutoff,
        )

    def waiting(self) -> JournalistQuerySet:
        """Journalists the press office should decide on: pending (or answered a
        question), account active, and e-mail address verified.

        An address nobody verified is no one to vet (and sign-up spam never
        reaches the contacts manager's dashboard).
        """
        from allauth.account.models import EmailAddress

        verified = EmailAddress.objects.filter(user=models.OuterRef("user"), verified=True)
        return self.filter(
            status__in=[Journalist.Status.PENDING, Journalist.Status.MORE_INFO],
            user__is_active=True,
        ).filter(models.Exists(verified))


class Journalist(models.Model):
    """A reporter's account as the newsroom sees it: profile, beats, and the staff's decision.

    ``status`` moves only through :mod:`journalists.rules` (approve, reject,
    ask for more, suspend, revoke, lapse), which records who and why.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        MORE_INFO = "more_info", _("Asked for more information")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        LAPSED = "lapsed", _("Lapsed (not re-confirmed)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journalist"
    )
    name = models.CharField(max_length=200)
    outlet = models.CharField(max_length=200, help_text="The newspaper, channel, agency or site.")
    role = models.CharField(max_length=200, help_text="e.g. correspondent, editor, producer.")
    beats = models.ManyToManyField(
        "taggit.Tag",
        blank=True,
        related_name="+",
        help_text="Topics covered: the releases' tags.",
    )
    countries = models.CharField(
        max_length=500, blank=True, help_text="Countries covered, comma-separated."
    )
    languages = models.CharField(
        max_length=200, blank=True, help_text="Languages of publication, comma-separated."
    )
    phone = models.CharField(max_length=40, blank=True)
    published_work_url = models.URLField(
        max_length=500, blank=True, help_text="A link to published work."
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    status_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    #: Set on approval and on each yearly re-confirmation.
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = JournalistQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [
            ("vet_journalist", "Can approve, reject, suspend, revoke and reinstate journalists"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.outlet})"

    def save(self, *args, **kwargs) -> None:
        """Refuse to make a staff account a journalist: the two kinds never mix.

        A journalist's login must never reach the admin, and staff must never
        gain embargoed access by the back door of a journalist record.
        """
        if self.user_id and type(self.user).objects.filter(pk=self.user_id, is_staff=True).exists():
            raise ValueError("A staff account cannot be a journalist.")
        super().save(*args, **kwargs)

    @property
    def email(self) -> str:
        return self.user.email


class EmbargoAgreement(models.Model):
    """One version of the text a journalist accepts before reading embargoed material.

    Versions are never edited once accepted by anyone: a change is a new row,
    and the newest version is the one in force (``current()``).
    """

    version = models.PositiveIntegerField(unique=True)
    text = models.TextField()
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Embargo agreement v{self.version}"

    @classmethod
    def current(cls) -> EmbargoAgreement | None:
        return cls.objects.filter(published_at__lte=timezone.now()).order_by("-version").first()


class AgreementAcceptance(models.Model):
    """That a journalist accepted a version of the agreement, and when.

    Kept for breach inquiries: which words the journalist agreed to, and when.
    """

    journalist = models.ForeignKey(Journalist, on_delete=models.CASCADE, related_name="acceptances")
    agreement = models.ForeignKey(EmbargoAgreement, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["journalist", "agreement"], name="journalists_accept_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.journalist} accepted v{self.agreement.version}"


class JournalistEvent(models.Model):
    """One step in a journalist's history: who did what, why, and when.

    Written by :mod:`journalists.rules` with every status change (and by the
    journalist's own re-confirmations and resubmissions), shown in the admin,
    kept for breach inquiries.  ``by`` is empty for the system's own steps
    (a lapse by the yearly sweep).
    """

    class Action(models.TextChoices):
        SIGNED_UP = "signed_up", "Signed up"
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        MORE_INFO = "more_info", _("Asked for more information")
        RESUBMITTED = "resubmitted", "Updated the profile for review"
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        REINSTATED = "reinstated", "Reinstated"
        LAPSED = "lapsed", "Lapsed"
        RECONFIRMED = "reconfirmed", "Re-confirmed"
        REMINDED = "reminded", "Sent the re-confirmation e-mail"

    journalist = models.ForeignKey(Journalist, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(blank=True)
    status_before = models.CharField(max_length=12, blank=True)
    status_after = models.CharField(max_length=12, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.journalist}: {self.get_action_display()}"

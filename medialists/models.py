"""Outlets, the people who work for them, media lists, and every send to them.

* :class:`Outlet` — a wire, channel, station, paper or site.
* :class:`MediaPerson` — one journalist on the address book: one record per
  person (one primary e-mail, unique whatever its case), with the basis and
  provenance of the consent to write to them.  Not ``journalists.Journalist``
  (an account that logs in), though linked to it and to the alerts'
  ``Subscriber`` of the same e-mail, so one person stays one person.
* :class:`MediaList` — a fixed list (members) or a smart one (stored filters,
  always current): :meth:`MediaPersonQuerySet.in_list` is the one evaluation.
* :class:`Distribution` — one send of a release to some lists, and
  :class:`Recipient` — one person's copy of it: unique per release and
  person, claimed before sending, settled, then moved on by the providers'
  webhooks (delivered, bounced, complained, unsubscribed).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from alerts.models import Subscriber
from contacts.phones import normalise_phone
from journalists.models import Journalist
from releases.models import PressRelease


def split_codes(value: str) -> list[str]:
    """``"gb, FR;de"`` → ``["GB", "FR", "DE"]``: countries and languages are
    kept as one canonical comma-separated string so a filter is a plain
    string match on every database."""
    codes = []
    for part in value.replace(";", ",").replace("/", ",").split(","):
        code = part.strip().upper()
        if code and code not in codes:
            codes.append(code)
    return codes


def join_codes(value: str) -> str:
    return ",".join(split_codes(value))


def has_code(field: str, code: str) -> Q:
    """Rows whose canonical code list ``field`` holds ``code``."""
    code = code.strip().upper()
    return (
        Q(**{field: code})
        | Q(**{f"{field}__startswith": f"{code},"})
        | Q(**{f"{field}__endswith": f",{code}"})
        | Q(**{f"{field}__contains": f",{code},"})
    )


class Outlet(models.Model):
    class Kind(models.TextChoices):
        WIRE = "wire", "Wire / news agency"
        TV = "tv", "TV"
        RADIO = "radio", "Radio"
        PRINT = "print", "Print"
        ONLINE = "online", "Online"

    name = models.CharField(max_length=200)
    kind = models.CharField("type", max_length=10, choices=Kind.choices, default=Kind.ONLINE)
    country = models.CharField(max_length=2, blank=True, help_text="ISO code, e.g. GB.")
    languages = models.CharField(max_length=100, blank=True, help_text="ISO codes, e.g. EN, UR.")
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="medialists_outlet_name_unique_ci")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.country = self.country.strip().upper()
        self.languages = join_codes(self.languages)
        super().save(*args, **kwargs)


class Consent(models.TextChoices):
    PROFESSIONAL = "professional", "Professional relationship"
    SIGNUP = "signup", "Their own sign-up"
    OTHER = "other", "Other (see notes)"


class MediaPersonQuerySet(models.QuerySet):
    def in_list(self, media_list: MediaList) -> MediaPersonQuerySet:
        """The people of ``media_list`` now: its members, or, for a smart
        list, everyone its stored filters match (evaluated at each call, so
        always current).  Who of them may be written to is
        :mod:`medialists.audience`'s rule, not this one's."""
        if media_list.kind == MediaList.Kind.FIXED:
            return self.filter(lists=media_list)
        people = self
        beats = list(media_list.beats.values_list("pk", flat=True))
        if beats:
            people = people.filter(beats__in=beats)
        countries = split_codes(media_list.countries)
        if countries:
            q = Q()
            for code in countries:
                q |= has_code("countries", code)
            people = people.filter(q)
        languages = split_codes(media_list.languages)
        if languages:
            q = Q()
            for code in languages:
                q |= has_code("languages", code)
            people = people.filter(q)
        kinds = [k.lower() for k in split_codes(media_list.outlet_kinds)]
        if kinds:
            people = people.filter(outlet__kind__in=kinds)
        return people.distinct() if beats else people

    def with_email(self, email: str) -> MediaPersonQuerySet:
        return self.filter(email=email.strip().lower())


class MediaPerson(models.Model):
    """A journalist on the newsroom's media list (see the module docstring)."""

    name = models.CharField(max_length=200)
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    role = models.CharField(max_length=200, blank=True, help_text="e.g. correspondent, editor.")
    beats = models.ManyToManyField(
        "taggit.Tag", blank=True, related_name="+", help_text="Topics covered: the releases' tags."
    )
    countries = models.CharField(max_length=200, blank=True, help_text="ISO codes, e.g. PK, GB.")
    languages = models.CharField(max_length=100, blank=True, help_text="ISO codes, e.g. EN, UR.")
    email = models.EmailField(
        "primary e-mail", max_length=254, help_text="One person, one record: unique."
    )
    other_emails = models.TextField(blank=True, help_text="One per line; never written to.")
    phones = models.TextField(blank=True, help_text="One per line; stored in +CC form.")
    notes = models.TextField(blank=True)
    consent_basis = models.CharField(
        max_length=20,
        choices=Consent.choices,
        blank=True,
        help_text="Why we may write to them. Empty: nothing is sent.",
    )
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    consent_source = models.CharField(
        max_length=200, blank=True, help_text='Where from, e.g. "CSV import 2026-12-02 by ana".'
    )
    do_not_contact = models.BooleanField(default=False)
    journalist = models.ForeignKey(
        "journalists.Journalist",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Their journalist account with the same e-mail, if any.",
    )
    subscriber = models.ForeignKey(
        "alerts.Subscriber",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Their e-mail alerts address, if they have signed up.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = MediaPersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "journalist (media list)"
        verbose_name_plural = "journalists (media lists)"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="medialists_person_email_unique_ci")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.outlet})" if self.outlet_id else self.name

    def save(self, *args, **kwargs) -> None:
        self.normalise()
        super().save(*args, **kwargs)

    def normalise(self, link: bool = True) -> None:
        """Lower-case e-mails, phones in +CC form (kept as typed if unreadable),
        canonical code lists, and (``link``) the links to the same person
        elsewhere (an import sets those itself, from one query for all rows)."""
        self.email = self.email.strip().lower()
        others: list[str] = []
        for line in self.other_emails.replace(",", "\n").splitlines():
            line = line.strip().lower()
            if line and line != self.email and line not in others:
                others.append(line)
        self.other_emails = "\n".join(others)
        phones = [
            normalise_phone(line.strip()) or line.strip()
            for line in self.phones.replace(";", "\n").splitlines()
            if line.strip()
        ]
        self.phones = "\n".join(dict.fromkeys(phones))
        self.countries = join_codes(self.countries)
        self.languages = join_codes(self.languages)
        if link and self.subscriber_id is None:
            self.subscriber = Subscriber.objects.filter(email=self.email).first()
        if link and self.journalist_id is None:
            self.journalist = Journalist.objects.filter(user__email__iexact=self.email).first()


class MediaList(models.Model):
    class Kind(models.TextChoices):
        FIXED = "fixed", "Fixed list (chosen people)"
        SMART = "smart", "Smart list (filters, always current)"

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FIXED)
    members = models.ManyToManyField(MediaPerson, blank=True, related_name="lists")
    beats = models.ManyToManyField(
        "taggit.Tag", blank=True, related_name="+", help_text="Smart list: any of these beats."
    )
    countries = models.CharField(
        max_length=200, blank=True, help_text="Smart list: any of these ISO codes."
    )
    languages = models.CharField(
        max_length=100, blank=True, help_text="Smart list: any of these ISO codes."
    )
    outlet_kinds = models.CharField(
        "outlet types",
        max_length=100,
        blank=True,
        help_text="Smart list: any of wire, tv, radio, print, online.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.countries = join_codes(self.countries)
        self.languages = join_codes(self.languages)
        self.outlet_kinds = join_codes(self.outlet_kinds).lower()
        super().save(*args, **kwargs)


class Distribution(models.Model):
    """One send of a release to media lists: planned for the release's
    instant, sent by the worker, then its report (the recipients' states)."""

    release = models.ForeignKey(PressRelease, on_delete=models.CASCADE, related_name="+")
    lists = models.ManyToManyField(MediaList, related_name="distributions")
    #: The lists' names when it was sent: the report outlives a renamed or deleted list.
    list_names = models.TextField(blank=True)
    note = models.TextField("personal note", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: A bulletin's send: one send per release, sharing ``batch``, whose copies
    #: go as one e-mail per person (``medialists.bulletin_sends``).
    bulletin = models.ForeignKey(
        "bulletins.Bulletin", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    batch = models.UUIDField(null=True, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "send to media lists"
        verbose_name_plural = "sends to media lists"
        permissions = [("send_distribution", "Can send releases to media lists")]

    def __str__(self) -> str:
        return f"{self.release} → {self.list_names or 'media lists'}"


class Recipient(models.Model):
    """One person's copy of a release: at most one per release and person."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the embargo"
        #: A vetted journalist told by the press room's advance notice (``medialists.advance``).
        ADVANCE = "advance", "Advance notice (vetted journalist)"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Complained"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        SUPPRESSED = "suppressed", "Not sent: suppressed"
        EXCLUDED = "excluded", "Not sent: no consent / do not contact"
        FAILED = "failed", "Failed"
        UNKNOWN = "unknown", "Unknown (worker stopped while sending)"

    distribution = models.ForeignKey(
        Distribution, on_delete=models.CASCADE, related_name="recipients"
    )
    release = models.ForeignKey(PressRelease, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(MediaPerson, on_delete=models.CASCADE, related_name="receipts")
    email = models.EmailField(max_length=254)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True, db_index=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "person"], name="medialists_one_copy_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.get_status_display()}"


class ImportUpload(models.Model):
    """An uploaded file between its mapping, preview and confirmation steps
    (the text, decoded; deleted once confirmed).  A large file is imported
    by the worker (``medialists.import_jobs``): this row then holds its
    progress and, once done, its report (the text is emptied)."""

    class Status(models.TextChoices):
        READY = "ready", "Waiting for the columns and the confirmation"
        QUEUED = "queued", "Waiting for the worker"
        CHECKING = "checking", "Checking the rows"
        WRITING = "writing", "Writing (all or nothing)"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed: nothing was written"

    text = models.TextField()
    file_name = models.CharField(max_length=255)
    file_kind = models.CharField(
        max_length=10, choices=[("csv", "CSV"), ("vcard", "vCard")], default="csv"
    )
    consent_basis = models.CharField(max_length=20, choices=Consent.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READY)
    #: field → column index, as confirmed (the worker's instructions).
    mapping = models.JSONField(default=dict, blank=True)
    source = models.CharField("consent source", max_length=200, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    #: The report: counts, new outlets and the skipped lines with their reasons.
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.file_name

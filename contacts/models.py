"""Who stands behind a release: organisations, their media contacts, and the
partnerships (MoUs, funding, joint programmes) that tie organisations together.

These live apart from ``releases`` because they outlive any one release:
admins curate them, and a release only points at them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import validate_email
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from contacts.phones import display_phone, normalise_phone, validate_phone
from core.images import image_upload_name, pending_file, validate_image_file
from core.richtext import RichTextField, sanitize_html
from core.urls import slug_url


def logo_upload_to(instance: Organisation, filename: str) -> str:
    """``logos/<random>.<extension of the detected format>``.

    The uploader's file name is not kept: a PNG called ``logo.pdf`` used to be
    stored, and served, as a PDF.  ``contacts.views.organisation_logo`` reads
    the type from the content in any case, for logos stored before this.
    """
    return image_upload_name("logos", pending_file(instance.logo))


class OrganisationQuerySet(models.QuerySet):
    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)


class Organisation(models.Model):
    """An organisation that issues releases, signs partnerships or funds work.

    ``parent`` models country offices ("IOM Pakistan" is part of "IOM") so a
    journalist can see the whole family, and so the global boilerplate can be
    shown when the office has none of its own.
    """

    class Kind(models.TextChoices):
        UN_AGENCY = "un_agency", _("UN agency")
        GOVERNMENT = "government", _("Government body")
        NHRI = "nhri", _("National human-rights institution")
        NGO = "ngo", _("NGO")
        DONOR = "donor", _("Donor")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200, unique=True)
    acronym = models.CharField(max_length=30, blank=True, db_index=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The wider organisation this one belongs to (IOM Pakistan → IOM).",
    )
    about = RichTextField(
        blank=True,
        verbose_name="About (boilerplate)",
        help_text="Shown as “About …” at the foot of every release this organisation issues.",
    )
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True, verbose_name="E-mail")
    phone = models.CharField(max_length=40, blank=True, validators=[validate_phone])
    logo = models.ImageField(
        upload_to=logo_upload_to, blank=True, validators=[validate_image_file], width_field=None
    )
    is_active = models.BooleanField(default=True, verbose_name="Active")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        return self.acronym or self.name

    @property
    def display_about(self) -> str:
        """The boilerplate to print: its own, else its parent's."""
        if self.about:
            return self.about
        return self.parent.about if self.parent_id and self.parent else ""

    def get_absolute_url(self) -> str:
        return slug_url("releases:organisation_detail", self.slug)

    @property
    def logo_url(self) -> str:
        """Public address of the logo ("" when there is none); see
        ``contacts.views.organisation_logo``."""
        if not self.logo:
            return ""
        return reverse("contacts:organisation_logo", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.acronym or self.name)[:200] or "organisation"
        self.about = sanitize_html(self.about)
        self.phone = display_phone(self.phone)
        super().save(*args, **kwargs)


class MediaContactQuerySet(models.QuerySet):
    def public(self) -> MediaContactQuerySet:
        """Contacts a journalist may see: active and marked public."""
        return self.filter(is_active=True, is_public=True)


class MediaContact(models.Model):
    """A named person journalists can call, or a shared press inbox.

    ``phone`` is stored in one international format ("+92 300 1234567") and
    ``phone_e164`` ("+923001234567") is derived from it on save for ``tel:``
    links; see ``contacts.phones``.  A number that cannot be read (only old
    data: forms refuse them) is kept as typed with an empty ``phone_e164``.
    ``staff_notes`` and contacts with ``is_public`` off never reach a public
    page, feed or API.
    """

    class Kind(models.TextChoices):
        PERSON = "person", "A person"
        DESK = "desk", "A desk or shared inbox"

    honorific = models.CharField(max_length=20, blank=True, help_text="Ms., Mr., Dr. …")
    name = models.CharField(max_length=200)
    # A shared inbox ("general enquiries") is filed by phones as a company,
    # not as a person whose surname is "enquiries" (contacts/vcard.py).
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.PERSON,
        help_text="A desk or shared inbox is saved to phones as an organisation card.",
    )
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contacts"
    )
    email = models.EmailField(blank=True, db_index=True, verbose_name="E-mail")
    phone = models.CharField(max_length=40, blank=True, validators=[validate_phone])
    phone_e164 = models.CharField(max_length=20, blank=True, editable=False)
    is_public = models.BooleanField(
        default=True,
        verbose_name="Public",
        help_text="Untick to keep this contact internal: it is then never shown publicly.",
    )
    is_active = models.BooleanField(default=True, verbose_name="Active")
    staff_notes = models.TextField(blank=True, help_text="For staff only; never shown publicly.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MediaContactQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=~models.Q(email=""),
                name="unique_contact_email",
                violation_error_message="A contact with this e-mail address already exists.",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.name} ({self.organisation.short_name})" if self.organisation_id else self.name
        )

    @property
    def full_name(self) -> str:
        return f"{self.honorific} {self.name}".strip()

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        if self.email:
            validate_email(self.email)
        self.phone = display_phone(self.phone)
        self.phone_e164 = normalise_phone(self.phone)
        super().save(*args, **kwargs)


class ContactRequestQuerySet(models.QuerySet):
    def open(self) -> ContactRequestQuerySet:
        return self.filter(status=ContactRequest.Status.OPEN)


class ContactRequest(models.Model):
    """A colleague's request for a contact they may not add themselves.

    Writers who may not add to the address book (see ``releases/roles.py``)
    still need the press officer their release names; the request lands with
    the contacts managers (``contacts.requests``), who create the contact
    from it.  The release is kept as text (its admin address), not as a
    foreign key: the address book knows nothing of releases.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done: contact created"
        DECLINED = "declined", "Declined"

    name = models.CharField(max_length=200, help_text="The person or press inbox to add.")
    organisation_name = models.CharField(
        max_length=200, blank=True, verbose_name="Organisation", help_text="As you know it."
    )
    email = models.EmailField(blank=True, verbose_name="E-mail")
    phone = models.CharField(max_length=40, blank=True)
    note = models.TextField(
        blank=True,
        help_text="Anything the contacts manager should know: job title, public or internal…",
    )
    release_reference = models.CharField(
        max_length=500,
        blank=True,
        verbose_name="For the release",
        help_text="The address of the release that needs this contact, if any.",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_requests",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_contact_requests",
    )
    contact = models.ForeignKey(
        MediaContact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
        help_text="The contact created from this request.",
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="Requested")
    handled_at = models.DateTimeField(null=True, blank=True, verbose_name="Handled")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="contactrequest_status_idx")]

    def __str__(self) -> str:
        org = f" ({self.organisation_name})" if self.organisation_name else ""
        return f"{self.name}{org}"


class PartnershipQuerySet(models.QuerySet):
    def public(self) -> PartnershipQuerySet:
        return self.exclude(status=Partnership.Status.DRAFT)


class Partnership(models.Model):
    """An agreement between organisations: an MoU, a funding arrangement…

    Releases announce partnerships; the partnership page gathers every
    published release about it and shows who signed, led or paid.
    """

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        FUNDING = "funding", _("Funding")
        JOINT_PROGRAMME = "joint_programme", _("Joint programme")
        TECHNICAL = "technical", _("Technical cooperation")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (not public)")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        ENDED = "ended", _("Ended early")

    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    organisations = models.ManyToManyField(
        Organisation, through="PartnershipMember", related_name="partnerships"
    )
    signed_on = models.DateField(null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="partnership_ends_after_start",
                violation_error_message="The end date must be on or after the start date.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return slug_url("releases:partnership_detail", self.slug)


class PartnershipMember(models.Model):
    """An organisation's part in a partnership (signatory, donor, …)."""

    class Role(models.TextChoices):
        SIGNATORY = "signatory", _("Signatory")
        LEAD = "lead", _("Lead")
        PARTNER = "partner", _("Partner")
        DONOR = "donor", _("Donor")
        IMPLEMENTING = "implementing", _("Implementing partner")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTNER)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation", "role"], name="unique_partnership_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_role_display()}"


def partnership_members_prefetch(lookup: str = "members") -> Prefetch:
    """A partnership's members in their order, with their organisations, in
    one query: the public pages, the API and the admin list all print them
    this way."""
    return Prefetch(
        lookup,
        queryset=PartnershipMember.objects.select_related("organisation").order_by("order", "id"),
    )

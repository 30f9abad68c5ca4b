"""The press release and the rows that hang off it (issuers, contacts, change notes)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Prefetch
from django.db.models.functions import Upper
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from contacts.models import MediaContact, Organisation, Partnership
from core.i18n import default_language, language_choices, language_codes
from core.richtext import RichTextField, sanitize_html
from core.urls import slug_url

# The relations of a release, loaded the one way every page, feed, bulletin
# and API answer loads them.  ``lookup`` lets a caller reach them through
# another model (a bulletin item's ``release__issuers``).


def issuers_prefetch(lookup: str = "issuers", *, parents: bool = True) -> Prefetch:
    """Issuing organisations in order, the lead first.

    With ``parents`` their parent organisations come in the same query: the
    release page and the bulletin print the parent's "About …" when an
    office has none.  Lists, which print names only, leave them out.
    """
    related = ("organisation", "organisation__parent") if parents else ("organisation",)
    return Prefetch(
        lookup,
        queryset=ReleaseOrganisation.objects.select_related(*related).order_by("order", "id"),
    )


def public_contact_links() -> models.QuerySet[ReleaseContact]:
    """Contact rows of releases that a journalist may see, in print order.

    Public means ``MediaContact.objects.public()`` — the address book's rule,
    stated once in ``contacts`` — so an internal or inactive contact never
    reaches a page, a feed, a vCard or the API.
    """
    return (
        ReleaseContact.objects.filter(contact__in=MediaContact.objects.public())
        .select_related("contact", "contact__organisation")
        .order_by("order", "id")
    )


def public_contacts_prefetch(lookup: str = "contact_links") -> Prefetch:
    """Only the contacts a journalist may see, into ``public_contact_links``
    (a name of its own, so nobody mistakes them for all the contacts)."""
    return Prefetch(lookup, queryset=public_contact_links(), to_attr="public_contact_links")


def public_partnerships_prefetch(
    lookup: str = "partnerships", *, order_by: Sequence[str] = ()
) -> Prefetch:
    """The partnerships a release announces, draft ones left out.

    In the model's order (latest signed first) unless ``order_by`` says
    otherwise: the API lists them by title, for a stable diff between
    harvests.
    """
    partnerships = Partnership.objects.public()
    if order_by:
        partnerships = partnerships.order_by(*order_by)
    return Prefetch(lookup, queryset=partnerships)


def change_notes_prefetch(lookup: str = "change_notes", *, to_attr: str | None = None) -> Prefetch:
    """Public change notes, newest first (``id`` breaks a tie, so two notes
    of one instant keep their order between requests)."""
    return Prefetch(
        lookup, queryset=ChangeNote.objects.order_by("-created_at", "-id"), to_attr=to_attr
    )


def edition_language(code: str | None = None) -> str:
    """``code``, else the active language, if the newsroom publishes in it;
    else the default language (a worker or a command has none active)."""
    code = code or translation.get_language() or ""
    return code if code in language_codes() else default_language()


def public_translations_exist() -> models.Exists:
    """An ``EXISTS`` for an annotation: has this release a public translation?

    Lists annotate ``_has_public_translations`` with it, so a page of
    releases none of which is translated costs no further query
    (:meth:`PressRelease.public_translations`, :func:`attach_public_translations`).
    """
    return models.Exists(
        PressRelease.objects.published()
        .filter(translation_key=models.OuterRef("translation_key"))
        .exclude(pk=models.OuterRef("pk"))
    )


def attach_public_translations(releases: Sequence[PressRelease]) -> None:
    """Load the public translations of every release in ``releases`` in one
    query (none if none has any), for :meth:`PressRelease.public_translations`."""
    wanted = [r for r in releases if getattr(r, "_has_public_translations", True) is not False]
    found: dict[uuid.UUID, list[PressRelease]] = {}
    if wanted:
        for version in (
            PressRelease.objects.published()
            .filter(translation_key__in={r.translation_key for r in wanted})
            .only("pk", "slug", "title", "language", "translation_key", "translated_from")
            .order_by("language", "id")
        ):
            found.setdefault(version.translation_key, []).append(version)
    for release in releases:
        story = found.get(release.translation_key, [])
        release.__dict__["_public_translations"] = [v for v in story if v.pk != release.pk]


class PressReleaseQuerySet(models.QuerySet):
    """Every public channel starts from :meth:`published`.

    Visibility is decided at request time from ``status`` and ``publish_at``,
    so an embargoed release becomes visible at its instant with no cron job,
    and can never be shown a second early by a page, feed, sitemap or API
    that forgot a condition: there is only one place to forget it.
    """

    def published(self, now: datetime.datetime | None = None) -> PressReleaseQuerySet:
        """Releases the public may see at ``now`` (default: this instant)."""
        now = now or timezone.now()
        return self.filter(
            status=PressRelease.Status.PUBLISHED,
            publish_at__isnull=False,
            publish_at__lte=now,
        )

    def viewable(self, now: datetime.datetime | None = None) -> PressReleaseQuerySet:
        """Releases whose page answers at its URL: the published ones, plus the
        withdrawn ones, which stay at their address with a notice (GOV.UK's
        rule) but are never listed or searched — lists, search, the sitemap
        and the API use :meth:`published`; feeds use this through
        :meth:`in_feeds`, to say a release they carried was withdrawn."""
        now = now or timezone.now()
        return self.filter(
            models.Q(
                status=PressRelease.Status.PUBLISHED,
                publish_at__isnull=False,
                publish_at__lte=now,
            )
            # Defence in depth: workflow only withdraws live releases, but a
            # withdrawn row whose embargo never lifted must not show either.
            | models.Q(
                status=PressRelease.Status.WITHDRAWN,
                publish_at__isnull=False,
                publish_at__lte=now,
            )
        )

    def in_feeds(self, now: datetime.datetime | None = None) -> PressReleaseQuerySet:
        """Releases a feed carries at ``now``: the published ones, plus the
        withdrawn ones, so a feed reader that showed a release is told it was
        withdrawn (an updated entry) instead of seeing it silently vanish.

        A withdrawn release keeps its place by ``publish_at``, so it stays
        only while it would still be among a feed's latest items.  Removed
        (published in error) and embargoed releases are never in a feed: this
        is exactly :meth:`viewable`, named for what the feeds ask.
        """
        return self.viewable(now)

    def scheduled(self, now: datetime.datetime | None = None) -> PressReleaseQuerySet:
        """Releases approved for publication whose embargo has not yet lifted."""
        now = now or timezone.now()
        return self.filter(status=PressRelease.Status.PUBLISHED, publish_at__gt=now)

    def in_language(self, code: str) -> PressReleaseQuerySet:
        """Releases written in ``code``: one language edition's share."""
        return self.filter(language=code)

    def in_edition(self, code: str | None = None) -> PressReleaseQuerySet:
        """The releases of the edition being read: ``code``, or the active
        language (the URL's, ``core.i18n``), or the default one.

        The home page, the feeds, bulletins' pages and the organisation
        pages ask this, after :meth:`published` or :meth:`in_feeds`, so
        each language edition lists its own releases and one place says
        which language "this edition" is.
        """
        return self.in_language(edition_language(code))

    def translations_of(self, release: PressRelease) -> PressReleaseQuerySet:
        """The other language versions of ``release``'s story.

        Chain it after :meth:`published` or :meth:`viewable` wherever the
        public sees it: a translation keeps its own embargo, so the English
        release being public says nothing about its Urdu version.
        """
        return self.filter(translation_key=release.translation_key).exclude(pk=release.pk)

    def out_of_date_translations(self) -> PressReleaseQuerySet:
        """Translations whose source had a major change after the translator
        last brought them in line (see ``releases.translations``)."""
        return self.filter(
            translated_from__isnull=False,
            translated_from__last_updated_at__isnull=False,
            source_seen_at__lt=models.F("translated_from__last_updated_at"),
        )

    def for_listing(self) -> PressReleaseQuerySet:
        """Load what a list item shows in a fixed number of queries."""
        return self.prefetch_related(issuers_prefetch(parents=False)).order_by("-publish_at", "-id")

    def _detail_prefetches(self) -> dict[str, Prefetch]:
        """What the release page shows, one prefetch per relation."""
        return {
            "issuers": issuers_prefetch(),
            "contact_links": public_contacts_prefetch(),
            "partnerships": public_partnerships_prefetch(),
            "tags": Prefetch("tags"),
            "change_notes": change_notes_prefetch(),
            "images": Prefetch("images"),
            "attachments": Prefetch("attachments"),
        }

    def for_detail(self) -> PressReleaseQuerySet:
        """Load everything the release page shows in a fixed number of queries."""
        return self.prefetch_related(*self._detail_prefetches().values())


class PressRelease(models.Model):
    """A press release, from first draft to publication and beyond.

    ``publish_at`` is the embargo instant; ``first_published_at`` is set once,
    when the release first becomes public, and ``last_updated_at`` moves only
    with a major (publicly noted) change, so journalists' "updated" dates mean
    something.  ``modified_at`` changes on every save and is for caches.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"  # scheduled while publish_at is in the future
        WITHDRAWN = "withdrawn", "Withdrawn"
        REMOVED = "removed", "Removed"

    #: The release's own words: what its writer edits and what restoring a
    #: revision brings back.  Status, embargo, the public dates and the links
    #: (issuers, contacts…) are not in it: they move by the workflow.
    CONTENT_FIELDS = ("title", "summary", "dateline_place", "dateline_date", "body")

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300, unique=True)
    #: The language the release is written in.  Each language version is a
    #: release of its own — its own workflow, embargo, slug and revisions —
    #: so a translation can be reviewed and published on its own clock.
    language = models.CharField(
        max_length=12,
        choices=language_choices,
        default=default_language,
        db_index=True,
        help_text="The language this release is written in.",
    )
    #: Shared by a release and its translations (Wagtail's ``translation_key``):
    #: one per story, whatever language it is told in.
    translation_key = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    #: The version this one was translated from ("Translate" in the admin),
    #: or ``None`` for an original.  With :attr:`source_seen_at` it tells
    #: when a translation is out of date (``releases.translations``).
    translated_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations_made",
        editable=False,
    )
    #: When the translator last brought this translation in line with its
    #: source: set when it is made and when it is marked up to date.  A
    #: major change of the source after it (the source's ``last_updated_at``)
    #: makes the translation out of date.
    source_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    summary = models.TextField(
        blank=True, help_text="One or two sentences; shown in lists, feeds and search results."
    )
    dateline_place = models.CharField(
        max_length=120, blank=True, help_text="Where the release is datelined, e.g. Islamabad."
    )
    dateline_date = models.DateField(
        null=True, blank=True, help_text="The date in the dateline, e.g. 18 October 2023."
    )
    body = RichTextField(blank=True)
    organisations = models.ManyToManyField(
        Organisation,
        through="ReleaseOrganisation",
        related_name="releases",
        help_text="Issuing organisations; the first is the lead.",
    )
    contacts = models.ManyToManyField(
        MediaContact, through="ReleaseContact", related_name="releases", blank=True
    )
    partnerships = models.ManyToManyField(Partnership, related_name="releases", blank=True)
    tags = TaggableManager(blank=True, help_text="Topics journalists follow, comma-separated.")

    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        verbose_name="Publish at (embargo)",
        help_text="The release becomes public at this instant, not a second before.",
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_updated_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Moves only with a major change."
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(
        blank=True, help_text="Public explanation shown on a withdrawn release."
    )

    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    #: Bumped on every save; an edit form carries the number it started from,
    #: so a save based on a stale copy is detected instead of overwriting.
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    # Search (owned by releases/search.py) ----------------------------------
    #: Weighted full-text vector, rebuilt by ``search.vectors`` signals on
    #: PostgreSQL (it needs the issuers' names and the tags, which a generated
    #: column cannot join).  On SQLite the column exists but stays empty; the
    #: GIN index is created by the ``search`` migration on PostgreSQL only.
    search_vector = SearchVectorField(null=True, blank=True, editable=False)
    #: The same vector without the body (weights A, B and C only): small
    #: enough to stay in the row, so ranking thousands of matches does not
    #: read thousands of out-of-line body vectors.  Kept by the same signals.
    rank_vector = SearchVectorField(null=True, blank=True, editable=False)

    objects = PressReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-publish_at", "-id"], name="release_public_list"),
            models.Index(fields=["dateline_place"], name="release_dateline_place"),
            # The place filter is case-insensitive (``iexact`` is UPPER(x) =
            # UPPER(y) on PostgreSQL), which the plain index above cannot serve.
            models.Index(Upper("dateline_place"), name="release_place_upper"),
        ]
        constraints = [
            # A story has at most one version per language.
            models.UniqueConstraint(
                fields=["translation_key", "language"], name="release_one_per_language"
            )
        ]
        permissions = [
            ("publish_pressrelease", "Can publish, schedule and withdraw press releases"),
            ("review_pressrelease", "Can approve or reject press releases"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The page in its own language's edition (``/ur/releases/…`` for Urdu)."""
        if translation.get_language() == self.language:
            return slug_url("releases:detail", self.slug)
        with translation.override(self.language):
            return slug_url("releases:detail", self.slug)

    def public_translations(self) -> list[PressRelease]:
        """The story's other language versions the public may see now, by
        language; remembered on the instance (the page's alternates, its
        JSON-LD and its language links all ask).

        Through ``published()`` only: a translation keeps its own embargo,
        so a scheduled one is never named, linked or counted here.  After
        ``releases.relations.detail_page`` a release without any
        costs no query.
        """
        if "_public_translations" not in self.__dict__:
            if getattr(self, "_has_public_translations", True) is False or self.pk is None:
                found: list[PressRelease] = []
            else:
                found = list(
                    PressRelease.objects.published()
                    .translations_of(self)
                    .only("pk", "slug", "title", "language", "translation_key", "translated_from")
                    .order_by("language", "id")
                )
            self.__dict__["_public_translations"] = found
        return self.__dict__["_public_translations"]

    # Display helpers -----------------------------------------------------
    @property
    def lead_issuer(self) -> Organisation | None:
        links = list(self.issuers.all())
        return links[0].organisation if links else None

    @property
    def issuing_organisations(self) -> list[Organisation]:
        """Issuers in order (uses the prefetch of :meth:`for_listing`)."""
        return [link.organisation for link in self.issuers.all()]

    @property
    def dateline(self) -> str:
        """ "Islamabad, 18 October 2023" — as printed at the head of the body."""
        date = self.dateline_date.strftime("%-d %B %Y") if self.dateline_date else ""
        return ", ".join(part for part in (self.dateline_place, date) if part)

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )

    @property
    def display_date(self) -> datetime.datetime | None:
        return self.publish_at

    # Persistence -----------------------------------------------------------
    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(PressRelease, self.title, exclude_pk=self.pk)
        self.body = sanitize_html(self.body)
        if self.status == self.Status.PUBLISHED and self.publish_at and not self.first_published_at:
            self.first_published_at = self.publish_at
        self.lock_version = (self.lock_version or 0) + 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "lock_version", "modified_at"}
        super().save(*args, **kwargs)


def unique_slug(model: type[models.Model], text: str, exclude_pk: int | None = None) -> str:
    """A slug from ``text`` that no other row of ``model`` uses."""
    field = model._meta.get_field("slug")
    base = (slugify(text) or "release")[: field.max_length - 8]
    candidate, n = base, 2
    qs = model._default_manager.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


class ReleaseOrganisation(models.Model):
    """An issuing organisation of a release, in order (the first leads)."""

    release = models.ForeignKey(PressRelease, on_delete=models.CASCADE, related_name="issuers")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="issued")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "issuing organisation"
        constraints = [
            models.UniqueConstraint(
                fields=["release", "organisation"], name="unique_release_organisation"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class ReleaseContact(models.Model):
    """A contact printed on a release, with the role they play for it."""

    class Role(models.TextChoices):
        MEDIA = "media", _("Media contact")
        MORE_INFO = "more_info", _("For more information")
        SPOKESPERSON = "spokesperson", _("Spokesperson")

    release = models.ForeignKey(
        PressRelease, on_delete=models.CASCADE, related_name="contact_links"
    )
    contact = models.ForeignKey(MediaContact, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEDIA)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "release contact"
        constraints = [
            models.UniqueConstraint(fields=["release", "contact"], name="unique_release_contact")
        ]

    def __str__(self) -> str:
        return f"{self.contact} — {self.get_role_display()}"


class ChangeNote(models.Model):
    """A public note of a major change to a published release.

    GOV.UK's rule: readers are told what changed and when, in plain words
    ("Corrected the number of districts"); minor fixes leave no note.
    """

    release = models.ForeignKey(PressRelease, on_delete=models.CASCADE, related_name="change_notes")
    note = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.note

"""Bulletins ("Media Update — 19 October 2023") and the record of each import.

A communications office sends journalists a dated bundle of releases; the
bulletin keeps that bundle and its order so the public page and the e-mail
text match what was sent.  ``ImportRecord`` remembers every imported file by
its SHA-256, which is what makes re-importing the same file a no-op.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from contacts.models import Organisation
from releases.models.release import PressRelease, unique_slug


class BulletinQuerySet(models.QuerySet):
    def with_public_releases(self) -> BulletinQuerySet:
        """Bulletins that have at least one release the public may see now.

        Starts from ``PressRelease.objects.published()`` so a bulletin of
        drafts or embargoed releases never appears early.
        """
        public_items = BulletinItem.objects.filter(
            bulletin=models.OuterRef("pk"),
            release__in=PressRelease.objects.published(),
        )
        return self.filter(models.Exists(public_items))


class Bulletin(models.Model):
    """A dated bundle of releases issued by one organisation, in order."""

    title = models.CharField(max_length=300, help_text="e.g. Media Update — 19 October 2023")
    slug = models.SlugField(max_length=300, unique=True)
    date = models.DateField()
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bulletins",
        help_text="The organisation that sends the bulletin.",
    )
    intro = models.TextField(blank=True, help_text="Optional lines printed before the releases.")
    releases = models.ManyToManyField(
        PressRelease, through="BulletinItem", related_name="bulletins"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("bulletins:detail", kwargs={"slug": self.slug})

    def get_text_url(self) -> str:
        return reverse("bulletins:text", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(Bulletin, self.title, exclude_pk=self.pk)
        super().save(*args, **kwargs)


class BulletinItem(models.Model):
    """A release's place in a bulletin."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="items")
    release = models.ForeignKey(
        PressRelease, on_delete=models.CASCADE, related_name="bulletin_items"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "bulletin release"
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "release"], name="unique_bulletin_release")
        ]

    def __str__(self) -> str:
        return str(self.release)


class ImportRecord(models.Model):
    """One imported source file: who, when, what came of it, and its checksum.

    ``sha256`` is unique: the same bytes can only be imported once, so a
    second run (or a double click in the admin) changes nothing.  The report
    and ``review_notes`` keep what staff must still look at (boilerplates that
    differ from the organisation's, lines that were not recognised).
    """

    sha256 = models.CharField(max_length=64, unique=True, verbose_name="SHA-256")
    filename = models.CharField(max_length=255)
    encoding = models.CharField(max_length=40, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField(default=timezone.now)
    result = models.CharField(max_length=300, help_text="One-line summary.")
    report = models.TextField(blank=True)
    review_notes = models.TextField(
        blank=True, help_text="Things staff should check: differing boilerplates, unknown lines."
    )
    bulletin = models.ForeignKey(
        Bulletin, null=True, blank=True, on_delete=models.SET_NULL, related_name="imports"
    )
    releases = models.ManyToManyField(PressRelease, blank=True, related_name="import_records")

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.imported_at:%Y-%m-%d %H:%M})"

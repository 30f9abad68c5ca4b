"""Bulletins ("Media Update — 19 October 2023"): a dated bundle of releases.

A communications office sends journalists a dated bundle of releases; the
bulletin keeps that bundle and its order so the public page and the e-mail
text match what was sent.

The tables keep their first names (``releases_bulletin``…): the models moved
here from ``releases`` without moving their data (migration ``0001``).
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from contacts.models import Organisation
from releases.models.release import PressRelease, unique_slug


class BulletinQuerySet(models.QuerySet):
    def with_public_releases(self, language: str | None = None) -> BulletinQuerySet:
        """Bulletins that have at least one release the public may see now
        (in ``language``'s edition, when given: a story counts when its
        version in that language is public).

        Starts from ``PressRelease.objects.published()`` so a bulletin of
        drafts or embargoed releases never appears early.
        """
        public = PressRelease.objects.published()
        if language is not None:
            public = public.in_language(language)
        public_items = BulletinItem.objects.filter(
            bulletin=models.OuterRef("pk"),
            release__translation_key__in=public.values("translation_key"),
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
        db_table = "releases_bulletin"
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
        db_table = "releases_bulletinitem"
        ordering = ["order", "id"]
        verbose_name = "bulletin release"
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "release"], name="unique_bulletin_release")
        ]

    def __str__(self) -> str:
        return str(self.release)

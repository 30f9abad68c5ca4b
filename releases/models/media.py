"""Pictures and documents that belong to a release.

Files are stored under ``MEDIA_ROOT`` but never served from it directly: a
view checks that the release is public (``PressRelease.objects.published()``)
before it streams a file, so an embargoed release's photos cannot leak
through a guessed URL.  The URLs built here (:meth:`ReleaseImage.url`,
:meth:`ReleaseAttachment.get_absolute_url`) point at those views.

An original (the uploaded picture or document) is **not** deleted with its
row, nor when it is replaced: a revision of the release (django-reversion)
still names it, and recovering the release or restoring that revision
brings the row back with it.  Renditions are deleted, as they can be made
again from the original.  ``manage.py purge_orphan_files`` removes the
originals that no row and no revision refers to (``releases/orphans.py``).

Facts about a file (size, checksum, oriented pixel size) are recorded when it
is saved, so a page listing twenty pictures reads no file to print their
``width``/``height`` attributes and "Download (4000x3000, 5.2 MB)" links.
"""

from __future__ import annotations

import functools
import logging
import uuid
from typing import TYPE_CHECKING

from django.core.validators import FileExtensionValidator
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.text import slugify

from core.images import (
    EXTENSION_CONTENT_TYPES,
    checked_working_copy,
    image_upload_name,
    oriented_file_size,
    pending_file,
    validate_image_file,
)
from releases.documents import ATTACHMENT_CONTENT_TYPES, validate_attachment_file
from releases.models.release import PressRelease
from releases.renditions import (
    RENDITIONS,
    Rendition,
    delete_renditions,
    file_checksum,
    rendition_size,
    store_master,
)

if TYPE_CHECKING:
    from core.decoding import WorkingCopy

logger = logging.getLogger(__name__)


def image_upload_to(instance: ReleaseImage, filename: str) -> str:
    """A random name with the extension of the *detected* format.

    A PNG uploaded as ``photo.jpg`` is stored as ``.png``, so the
    Content-Type derived from the name is always the truth
    (``core.images.image_upload_name``, shared with organisation logos).
    """
    return image_upload_name("releases/images", pending_file(instance.image))


def attachment_upload_to(instance: ReleaseAttachment, filename: str) -> str:
    return f"releases/files/{uuid.uuid4().hex}/{filename}"


class ReleaseImage(models.Model):
    """A picture of a release; the original is the high-resolution download.

    Alt text, caption and credit are required: a newsroom picture without a
    credit cannot be used by a journalist, and one without alt text cannot be
    read by a screen reader.
    """

    release = models.ForeignKey(PressRelease, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to=image_upload_to, validators=[validate_image_file])
    #: Pixel size as displayed (EXIF orientation applied), set on save.
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(default=0, editable=False)
    #: SHA-256 of the original: names the renditions and is the ETag.
    checksum = models.CharField(max_length=64, blank=True, editable=False)
    alt_text = models.CharField(
        max_length=300, help_text="Describes the picture for screen readers."
    )
    caption = models.CharField(max_length=500)
    credit = models.CharField(
        max_length=200, help_text="Photographer and organisation, e.g. © IOM 2023/Jane Doe."
    )
    usage_terms = models.CharField(
        max_length=300,
        default="Free for editorial use with credit.",
        help_text="What journalists may do with the picture.",
    )
    is_lead = models.BooleanField(default=False, verbose_name="Lead image")
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_lead", "order", "id"]

    def __str__(self) -> str:
        return self.caption or self.alt_text

    # URLs ------------------------------------------------------------------
    def url(self, rendition: str = "web", fmt: str = "jpeg") -> str:
        """Public URL of a rendition ("original", "web", "thumb", "social").

        Uses ``release.slug``: load images with ``select_related("release")``
        or through the release's prefetch to keep the query count flat.
        """
        if fmt != "jpeg" and rendition != "original":
            return reverse(
                "releases:image_format",
                kwargs={
                    "slug": self.release.slug,
                    "pk": self.pk,
                    "rendition": rendition,
                    "fmt": fmt,
                },
            )
        return reverse(
            "releases:image",
            kwargs={"slug": self.release.slug, "pk": self.pk, "rendition": rendition},
        )

    @property
    def original_url(self) -> str:
        return self.url("original")

    @property
    def renditions(self) -> dict[str, Rendition]:
        """JPEG renditions by name, with sizes, for templates."""
        return {name: self._rendition(name, "jpeg") for name in RENDITIONS}

    @property
    def webp_renditions(self) -> dict[str, Rendition]:
        return {name: self._rendition(name, "webp") for name in RENDITIONS}

    def _rendition(self, name: str, fmt: str) -> Rendition:
        width, height = rendition_size(RENDITIONS[name], self.width or 0, self.height or 0)
        return Rendition(name=name, url=self.url(name, fmt), width=width, height=height)

    # File facts ------------------------------------------------------------
    @property
    def extension(self) -> str:
        name = self.image.name or ""
        return name.rsplit(".", 1)[-1].lower() if "." in name else "jpg"

    @property
    def content_type(self) -> str:
        return EXTENSION_CONTENT_TYPES.get(self.extension, "application/octet-stream")

    @property
    def download_filename(self) -> str:
        """``<release-slug>-photo-<id>.jpg``: readable, unique, the same in the media kit."""
        return f"{self.release.slug}-photo-{self.pk}.{self.extension}"

    def refresh_file_facts(self, save: bool = False) -> None:
        """Record size, checksum and oriented dimensions of the current file."""
        file = self.image.file if not self.image._committed else self.image.open("rb")
        try:
            self.file_size = self.image.size
            self.checksum = file_checksum(file)
            self.width, self.height = oriented_file_size(file)
        finally:
            if self.image._committed:
                self.image.close()
        if save and self.pk:
            type(self).objects.filter(pk=self.pk).update(
                file_size=self.file_size,
                checksum=self.checksum,
                width=self.width,
                height=self.height,
            )

    def save(self, *args, **kwargs) -> None:
        """Record the file's facts when a new file arrives, and keep its
        working copy.

        No rendition is made here: the upload request has decoded the picture
        once already, to check it (``core.images.validate_image_file``), and
        that decode's working copy is stored after commit as the master every
        rendition is made from, by the task worker (``releases.tasks``).
        The old renditions are deleted once the transaction commits (not
        before: a rollback must not lose them); the old original is kept for
        the revisions that name it (see the module's docstring).
        """
        new_file = bool(self.image) and not self.image._committed
        old_checksum = ""
        working = checked_working_copy(self.image) if new_file else None
        if new_file:
            if self.pk:
                old_checksum = (
                    type(self).objects.filter(pk=self.pk).values_list("checksum", flat=True).first()
                    or ""
                )
            self.refresh_file_facts()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {
                    *kwargs["update_fields"],
                    "file_size",
                    "checksum",
                    "width",
                    "height",
                }
        super().save(*args, **kwargs)
        if new_file:
            if old_checksum and old_checksum != self.checksum:
                pk, keep = self.pk, self.checksum
                transaction.on_commit(lambda: delete_renditions(pk, keep_checksum=keep))
            if working is not None:
                transaction.on_commit(functools.partial(store_master_safely, self.pk, working))
            transaction.on_commit(functools.partial(queue_renditions_safely, self.pk))


class ReleaseAttachment(models.Model):
    """A document attached to a release (the signed MoU, a report…)."""

    release = models.ForeignKey(PressRelease, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(max_length=300)
    file = models.FileField(
        upload_to=attachment_upload_to,
        validators=[FileExtensionValidator(["pdf", "docx"]), validate_attachment_file],
        help_text="A PDF or Word (.docx) document.",
    )
    file_size = models.PositiveBigIntegerField(default=0, editable=False)
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("releases:file", kwargs={"slug": self.release.slug, "pk": self.pk})

    @property
    def extension(self) -> str:
        name = self.file.name or ""
        return name.rsplit(".", 1)[-1].lower() if "." in name else ""

    @property
    def content_type(self) -> str:
        return ATTACHMENT_CONTENT_TYPES.get(self.extension, "application/octet-stream")

    @property
    def kind_label(self) -> str:
        return {"pdf": "PDF", "docx": "Word"}.get(self.extension, self.extension.upper())

    @property
    def download_filename(self) -> str:
        base = slugify(self.title)[:80] or f"{self.release.slug}-file-{self.pk}"
        return f"{base}.{self.extension}" if self.extension else base

    def save(self, *args, **kwargs) -> None:
        """Record the size of a new file; a replaced file is kept for the revisions."""
        if bool(self.file) and not self.file._committed:
            self.file_size = self.file.size
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "file_size"}
        super().save(*args, **kwargs)


@receiver(post_delete, sender=ReleaseImage)
def _delete_image_renditions(sender, instance: ReleaseImage, **kwargs) -> None:
    """A deleted picture's renditions go (after commit); its original is kept.

    The original stays because a revision may bring the picture back (a
    recovery, a restore); ``purge_orphan_files`` removes it once nothing
    refers to it.  Renditions are made again from the original on demand.
    """
    pk = instance.pk
    transaction.on_commit(lambda: delete_renditions(pk))


def store_master_safely(image_id: int, working: WorkingCopy) -> None:
    """Store the upload's working copy after commit; a failure only means the
    first rendition request decodes the original again."""
    try:
        store_master(ReleaseImage.objects.get(pk=image_id), working)
    except Exception:
        logger.exception("Could not store the working copy of release image %s", image_id)


def queue_renditions_safely(image_id: int) -> None:
    """Ask the worker for the renditions of a new file (``releases.tasks``),
    after commit and after its master is stored.  A failure only means the
    first request of each rendition makes it (``ensure_rendition``)."""
    try:
        from releases import tasks

        tasks.make_renditions.enqueue(image_id)
    except Exception:
        logger.exception("Could not queue the renditions of release image %s", image_id)

"""Pictures and documents that belong to a release.

Files are stored under ``MEDIA_ROOT`` but never served from it directly: a
view checks that the release is public (``PressRelease.objects.published()``)
before it streams a file, so an embargoed release's photos cannot leak
through a guessed URL.
"""

from __future__ import annotations

import uuid

from django.core.validators import FileExtensionValidator
from django.db import models

from newsroom.images import validate_image_file
from releases.models.release import PressRelease


def image_upload_to(instance: ReleaseImage, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"releases/images/{uuid.uuid4().hex}.{ext}"


def attachment_upload_to(instance: ReleaseAttachment, filename: str) -> str:
    return f"releases/files/{uuid.uuid4().hex}/{filename}"


class ReleaseImage(models.Model):
    """A picture of a release; the original is the high-resolution download.

    Alt text, caption and credit are required: a newsroom picture without a
    credit cannot be used by a journalist, and one without alt text cannot be
    read by a screen reader.
    """

    release = models.ForeignKey(PressRelease, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        upload_to=image_upload_to,
        validators=[validate_image_file],
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
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


class ReleaseAttachment(models.Model):
    """A document attached to a release (the signed MoU, a report…)."""

    release = models.ForeignKey(PressRelease, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(max_length=300)
    file = models.FileField(
        upload_to=attachment_upload_to,
        validators=[FileExtensionValidator(["pdf", "docx"])],
    )
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

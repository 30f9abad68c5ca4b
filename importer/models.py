"""The record of each imported file.

``ImportRecord`` remembers every imported file by its SHA-256, which is what
makes re-importing the same file a no-op.  Its table keeps its first name
(``releases_importrecord``): the model moved here from ``releases`` without
moving its data (migration ``0001``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from bulletins.models import Bulletin
from core.dates import house_datetime
from releases.models import PressRelease


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
        db_table = "releases_importrecord"
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({house_datetime(self.imported_at)})"

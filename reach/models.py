"""Daily aggregates only: a release, a day, what was counted, how many.

Nothing about who: no address, no cookie, no user agent is stored.
"""

from __future__ import annotations

from django.db import models

from releases.models import PressRelease


class DailyCount(models.Model):
    class Kind(models.TextChoices):
        VIEW = "view", "Page views"
        DOWNLOAD = "download", "Downloads"

    release = models.ForeignKey(PressRelease, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "kind"]
        verbose_name = "daily count"
        constraints = [
            models.UniqueConstraint(
                fields=["release", "day", "kind"], name="reach_one_count_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.release_id} {self.day} {self.kind}: {self.count}"

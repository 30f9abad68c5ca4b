"""What the desk remembers per person: how far they have read their notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReadMark(models.Model):
    """The instant up to which a person has read their "For you" notifications.

    One row per person, written by "Mark all read".  Notifications are not
    stored: they are the audit log's entries that concern the person (see
    :mod:`desk.notices`); this row only says which of them are new.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    read_until = models.DateTimeField()

    class Meta:
        verbose_name = "notification read mark"

    def __str__(self) -> str:
        return f"{self.user} read until {self.read_until:%Y-%m-%d %H:%M}"

"""Shareable preview links: an unpublished release shown to someone without an account."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from releases.models.release import PressRelease

#: How long a shareable preview link works unless staff choose otherwise.
PREVIEW_LINK_LIFETIME = datetime.timedelta(days=7)


class PreviewLinkQuerySet(models.QuerySet):
    def active(self, now: datetime.datetime | None = None) -> PreviewLinkQuerySet:
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


def new_preview_token() -> str:
    return secrets.token_urlsafe(32)


class PreviewLink(models.Model):
    """A link that shows an unpublished release to someone without an account.

    The token is random (256 bits) and the link expires and can be revoked:
    partners check a draft before it goes out, and the link dies on its own.
    """

    release = models.ForeignKey(
        PressRelease, on_delete=models.CASCADE, related_name="preview_links"
    )
    token = models.CharField(max_length=64, unique=True, default=new_preview_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Preview of “{self.release}” until {self.expires_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.expires_at is None:
            self.expires_at = (self.created_at or timezone.now()) + PREVIEW_LINK_LIFETIME
        super().save(*args, **kwargs)

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    def get_absolute_url(self) -> str:
        return reverse("releases:preview_link", kwargs={"token": self.token})

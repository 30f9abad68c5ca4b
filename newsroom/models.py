"""Site-wide state: the content version that public caches key on."""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.utils import timezone


class ContentVersion(models.Model):
    """One row whose ``version`` moves whenever public content may have changed.

    Signals (``newsroom.signals``) bump it on every save, delete and tag
    change the public can see (a draft's edits are not), so an ETag or a
    cached page keyed on it is invalidated by any publish, correction or
    withdrawal, and its ``changed_at`` dates the API's answers even after a
    deletion.  Embargoes lift without any write, which is why the cache key
    also carries the newest public ``publish_at`` (see ``newsroom.caching``).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "content version"

    def __str__(self) -> str:
        return f"content version {self.version}"

    @classmethod
    def bump(cls) -> None:
        """Move the version on; one indexed UPDATE (INSERT the first time).

        Callers go through ``newsroom.caching.content_changed``, which also
        drops this process's memo of the state.
        """
        now = timezone.now()
        updated = cls.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now)
        if not updated:
            cls.objects.get_or_create(pk=1, defaults={"version": 1, "changed_at": now})

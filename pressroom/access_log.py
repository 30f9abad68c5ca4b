"""Recording who opened or downloaded which embargoed item, and forgetting it in time."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from journalists.models import Journalist
from pressroom.models import AccessLogEntry
from releases.models import PressRelease

Item = AccessLogEntry.Item


def record(
    journalist: Journalist, release: PressRelease, item: str, item_id: int | None = None
) -> AccessLogEntry:
    """One line of the log, with a text copy of who it was (kept if the account goes)."""
    return AccessLogEntry.objects.create(
        release=release,
        release_title=release.title[:300],
        journalist=journalist,
        journalist_name=journalist.name[:200],
        journalist_email=journalist.user.email or "",
        journalist_outlet=journalist.outlet[:200],
        item=item,
        item_id=item_id,
    )


def purge(now: datetime.datetime | None = None) -> int:
    """Delete the entries older than ``PRESSROOM_ACCESS_LOG_DAYS`` days; how many went."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.PRESSROOM_ACCESS_LOG_DAYS)
    deleted, _ = AccessLogEntry.objects.filter(at__lt=cutoff).delete()
    return deleted

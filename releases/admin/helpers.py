"""Small things the release admin's pages share: newsroom time and the state as staff say it."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from releases.models import PressRelease


def newsroom_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def format_instant(value: datetime.datetime | None) -> str:
    """ "18 Oct 2023 09:00 PKT (04:00 UTC)": embargoes are agreed across time zones."""
    if value is None:
        return "—"
    local = timezone.localtime(value, newsroom_tz())
    utc = timezone.localtime(value, datetime.UTC)
    return f"{local:%d %b %Y %H:%M} {local.tzname()} ({utc:%d %b %Y %H:%M} UTC)"


def state_label(release: PressRelease) -> str:
    """The status, except that a scheduled release says when it goes public (newsroom time)."""
    if release.is_scheduled:
        local = timezone.localtime(release.publish_at, newsroom_tz())
        return f"Scheduled for {local:%d %b %Y %H:%M} {local.tzname()}"
    return release.get_status_display()

"""The embargo warning, worded once for pages, e-mails and the media kit's CREDITS."""

from __future__ import annotations

from django.utils.translation import gettext

from core.dates import house_datetime
from releases.models import PressRelease


def embargo_until(release: PressRelease) -> str:
    """``18 Oct 2023, 11:00 PKT (06:00 UTC)``: newsroom time, and UTC for those elsewhere."""
    return house_datetime(release.publish_at, utc=True)


def banner_text(release: PressRelease) -> str:
    """The line every embargoed page, e-mail and media kit carries."""
    return gettext("EMBARGOED UNTIL %(until)s — not for publication or broadcast before then") % {
        "until": embargo_until(release)
    }

"""The house style for dates and times that staff read: ``2 Dec 2026, 10:57 PKT``.

One function, so that the status panel, the lists, the messages after a
button, the import records and the command output all say a time the same
way. Comms teams agree embargoes across time zones by phone and e-mail; a
time without its zone, or a date written three ways on three screens, is how
a release goes out an hour early. The zone is always the newsroom's
(``settings.TIME_ZONE``), named by its abbreviation.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import dateformat, timezone, translation

#: The same style in Django's date-format syntax, for ``DATETIME_FORMAT``
#: (the admin's lists and read-only fields) and the ``|date`` filter.
DATETIME_FORMAT = "j M Y, H:i T"
DATE_FORMAT = "j M Y"


def newsroom_tz() -> ZoneInfo:
    """The newsroom's own time zone, in which embargoes are typed and shown."""
    return ZoneInfo(settings.TIME_ZONE)


def house_datetime(value: datetime.datetime | None, *, utc: bool = False, empty: str = "—") -> str:
    """``2 Dec 2026, 10:57 PKT`` in newsroom time; with ``utc=True`` also ``(05:57 UTC)``.

    The UTC time is added where a time is agreed with people elsewhere (an
    embargo); the date is repeated in it only when it differs.
    """
    if value is None:
        return empty
    if timezone.is_naive(value):
        value = timezone.make_aware(value, newsroom_tz())
    local = timezone.localtime(value, newsroom_tz())
    text = f"{_day(local)}{_comma()}{local:%H:%M} {local.tzname()}"
    if utc:
        other = timezone.localtime(value, datetime.UTC)
        if other.date() == local.date():
            text += f" ({other:%H:%M} UTC)"
        else:
            text += f" ({_day(other)}{_comma()}{other:%H:%M} UTC)"
    return text


def _day(value: datetime.date) -> str:
    """``2 Dec 2026``; in another language its own month name (``2 دسمبر
    2026``), from Django's translations — a journalist reading the Urdu
    edition is told an embargo in Urdu."""
    if (translation.get_language() or settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE:
        return f"{value.day} {value:%b %Y}"
    return dateformat.format(value, "j M Y")


def _comma() -> str:
    """The comma of the active language's script (Urdu writes ``،``)."""
    from core.i18n import is_rtl

    return "، " if is_rtl(translation.get_language() or settings.LANGUAGE_CODE) else ", "


def house_date(value: datetime.date | None, *, empty: str = "—") -> str:
    """``2 Dec 2026``: a date alone (a dateline, a day of publication)."""
    if value is None:
        return empty
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value, newsroom_tz()).date()
    return _day(value)

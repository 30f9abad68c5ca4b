"""``{% load house_dates %}``: ``{{ when|house_datetime }}`` and ``{{ day|house_date }}``.

Staff templates use these rather than ``|date:"…"`` so that every screen
says a time in one style with its zone (see :mod:`core.dates`).
"""

from __future__ import annotations

import datetime

from django import template

from core import dates

register = template.Library()


@register.filter(name="house_datetime")
def house_datetime(value: datetime.datetime | None, arg: str = "") -> str:
    """``2 Dec 2026, 10:57 PKT``; ``|house_datetime:"utc"`` adds the UTC time."""
    return dates.house_datetime(value, utc=(arg == "utc"))


@register.filter(name="house_date")
def house_date(value: datetime.date | None) -> str:
    """``2 Dec 2026``."""
    return dates.house_date(value)

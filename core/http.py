"""HTTP helpers that views of any app need, knowing nothing of any app."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone


def public_cache_exempt(view: Callable) -> Callable:
    """Mark a view that sets its own validators (file downloads, the API):
    the public cache middleware (``newsroom.caching``) then neither asks for
    the content state nor marks the response."""
    view.public_cache_exempt = True
    return view


def as_datetime(value: object) -> datetime.datetime | None:
    """An aware datetime from what a raw query returned (SQLite hands back text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value

"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    return {
        "SITE_NAME": settings.NEWSROOM_SITE_NAME,
        "SITE_URL": settings.NEWSROOM_SITE_URL,
    }

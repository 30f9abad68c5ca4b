"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static

from core.urls import absolute_url


def site(request: HttpRequest) -> dict[str, str]:
    return {
        "SITE_NAME": settings.NEWSROOM_SITE_NAME,
        "SITE_URL": settings.NEWSROOM_SITE_URL,
        # The picture of a shared link to a page that has none of its own.
        "SHARE_IMAGE_URL": absolute_url(static("img/share.png")),
    }

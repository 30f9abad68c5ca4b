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


def languages(request: HttpRequest) -> dict[str, object]:
    """The page's language and its versions in the others (core/i18n.py).

    ``LANGUAGE_ALTERNATES`` feeds both the switcher and the ``hreflang``
    links; ``HTML_LANG`` and ``HTML_DIR`` go on ``<html>``.
    """
    from django.utils import translation

    from core import i18n

    current = translation.get_language() or settings.LANGUAGE_CODE
    paths = i18n.alternates(request)
    return {
        "HTML_LANG": i18n.html_lang(current),
        "HTML_DIR": "rtl" if i18n.is_rtl(current) else "ltr",
        "LANGUAGE_ALTERNATES": [
            {
                "code": code,
                "hreflang": i18n.html_lang(code),
                "name": i18n.name_local(code),
                "dir": "rtl" if i18n.is_rtl(code) else "ltr",
                "path": path,
                "url": absolute_url(path),
                "current": code == current,
            }
            for code, path in paths.items()
        ],
    }

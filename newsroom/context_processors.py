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
    if getattr(request, "error_page", False):
        # An error page (newsroom/errors.py) exists in no other language:
        # the switcher leads to each edition's home, and <head> names no
        # alternates — a 404's address may be an embargoed release's.
        homes = {code: i18n.with_prefix("/", code) for code in i18n.language_codes()}
        return {
            "HTML_LANG": i18n.html_lang(current),
            "HTML_DIR": "rtl" if i18n.is_rtl(current) else "ltr",
            "DEFAULT_LANGUAGE": settings.LANGUAGE_CODE,
            "LANGUAGE_ALTERNATES": [],
            "LANGUAGE_X_DEFAULT": "",
            "LANGUAGE_SWITCHER": switcher(homes, current),
        }
    paths = i18n.alternates(request)
    return {
        "HTML_LANG": i18n.html_lang(current),
        "HTML_DIR": "rtl" if i18n.is_rtl(current) else "ltr",
        # The language of what staff enter once for every edition (an
        # organisation's "About" text): marked as such on other editions' pages.
        "DEFAULT_LANGUAGE": settings.LANGUAGE_CODE,
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
        # hreflang="x-default": the default language's version, when there is one.
        "LANGUAGE_X_DEFAULT": (
            absolute_url(paths[settings.LANGUAGE_CODE]) if settings.LANGUAGE_CODE in paths else ""
        ),
        "LANGUAGE_SWITCHER": switcher(paths, current),
    }


def switcher(paths: dict[str, str], current: str) -> list[dict[str, object]]:
    """The header's language switcher: every language, always.

    A language in which this page exists links to that version; one in which
    it does not (a release with no public translation) links to that
    edition's home page and says "not translated" in that language — the
    reader still finds the newsroom in their language, and is not misled into
    thinking the link is this page translated.  The ``hreflang`` links in
    ``<head>`` name only real versions (``LANGUAGE_ALTERNATES``).
    """
    from django.utils import translation
    from django.utils.translation import gettext

    from core import i18n

    entries = []
    for code in i18n.language_codes():
        translated = code in paths
        note = ""
        if not translated:
            with translation.override(code):
                note = gettext("(not translated)")
        entries.append(
            {
                "code": code,
                "hreflang": i18n.html_lang(code),
                "name": _switcher_name(code),
                "dir": "rtl" if i18n.is_rtl(code) else "ltr",
                "path": paths.get(code) or i18n.with_prefix("/", code),
                "translated": translated,
                "not_translated": note,
                "current": code == current,
            }
        )
    return entries


def _switcher_name(code: str) -> str:
    """ "English" rather than "British English" when the newsroom has one
    English: a reader looks for their language, not its variety."""
    from core import i18n

    base = code.split("-")[0]
    varieties = [c for c in i18n.language_codes() if c.split("-")[0] == base]
    return i18n.name_local(base if len(varieties) == 1 else code)

"""Languages of the newsroom: which exist, how a URL names one, which way it reads.

The public newsroom has one edition per language in ``settings.LANGUAGES``.
The default language (``LANGUAGE_CODE``) lives at the site root; every other
language at its own prefix (``/ur/…``), made by Django's ``i18n_patterns``.

**The URL alone decides the language of a public page.**  Not the
``Accept-Language`` header, not a cookie: a page's address then names exactly
one response, so the shared page cache, ETags and CDNs need no ``Vary`` and a
journalist can paste a link knowing what the colleague will see.  A reader
whose browser prefers another language is offered it by a small script on the
page (static/js/language-suggestion.js), which changes nothing cached.

Staff pages (``/admin/``) are private and never cached, so there the staff
member's own choice (Django's ``django_language`` cookie, set by the
``set_language`` view) decides.

A view that knows the other-language versions of its page — the release page
knows its translations, whose slugs differ — sets
``request.language_alternates`` (``{code: path}``); otherwise the switcher and
the ``hreflang`` links swap the prefix of the current path (see
:func:`alternates`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.http import HttpRequest, HttpResponse
from django.utils import translation


def language_codes() -> list[str]:
    """The codes of the newsroom's languages, the default first."""
    return [code for code, _name in settings.LANGUAGES]


def default_language() -> str:
    """The default language's code: a callable default, for the same reason."""
    return settings.LANGUAGE_CODE


def language_choices() -> list[tuple[str, str]]:
    """Choices for a model field: a callable, so a deployment that adds a
    language through ``NEWSROOM_LANGUAGES`` needs no migration."""
    return [(code, name_local(code)) for code in language_codes()]


def name_local(code: str) -> str:
    """The language's name in itself ("اردو" for Urdu): what a switcher shows,
    because a reader looks for their own language by its own name."""
    info = LANG_INFO.get(code) or LANG_INFO.get(code.split("-")[0]) or {}
    return str(info.get("name_local") or dict(settings.LANGUAGES).get(code, code))


def is_rtl(code: str) -> bool:
    """Whether the language is written right to left (Urdu, Arabic, Persian…)."""
    return code.split("-")[0] in settings.LANGUAGES_BIDI


def html_lang(code: str) -> str:
    """The BCP 47 form for ``lang``/``hreflang`` attributes: ``en-GB``, ``ur``."""
    language, _, region = translation.to_language(code).partition("-")
    if len(region) == 2:  # a country: en-GB; a script stays as it is: zh-hans
        region = region.upper()
    return f"{language}-{region}" if region else language


def split_prefix(path: str) -> tuple[str, str]:
    """``("ur", "/releases/x/")`` for ``/ur/releases/x/``; the default language
    and the path unchanged when it has no language prefix."""
    parts = path.split("/", 2)
    if len(parts) > 1 and parts[1] in language_codes() and parts[1] != settings.LANGUAGE_CODE:
        return parts[1], "/" + (parts[2] if len(parts) > 2 else "")
    return settings.LANGUAGE_CODE, path


def strip_prefix(path: str) -> str:
    """The path without its language prefix, for rules stated on paths
    (cache exclusions, the database router's primary-only prefixes)."""
    return split_prefix(path)[1]


def with_prefix(path: str, code: str) -> str:
    """``path`` (without prefix) as it reads in language ``code``."""
    if code == settings.LANGUAGE_CODE:
        return path
    return f"/{code}{path}"


def alternates(request: HttpRequest) -> dict[str, str]:
    """``{code: path}`` of this page in every language that has it.

    A view that knows better sets ``request.language_alternates`` (a release
    and its translations); otherwise every language has the same page at the
    swapped prefix, which holds for the lists, search, feeds and fixed pages.
    """
    known = getattr(request, "language_alternates", None)
    if known is not None:
        return dict(known)
    bare = strip_prefix(request.path)
    return {code: with_prefix(bare, code) for code in language_codes()}


class PathLocaleMiddleware:
    """Activate the language named by the URL (or, on staff pages, the staff
    member's own choice) for the whole request, error pages included.

    Django's ``LocaleMiddleware`` would also read ``Accept-Language`` and a
    cookie on unprefixed public pages and add ``Vary: Accept-Language`` to
    them; see the module docstring for why the newsroom does not.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code, _bare = split_prefix(request.path_info)
        if request.path_info.startswith("/admin/"):
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            if translation.check_for_language(chosen):
                code = translation.get_supported_language_variant(chosen)
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        response.headers.setdefault("Content-Language", html_lang(code))
        return response

"""Small template helpers for the public newsroom."""

from __future__ import annotations

from collections.abc import Iterator

from django import template
from django.core.paginator import Page
from django.http import HttpRequest, QueryDict
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from contacts.phones import normalise_phone
from core.i18n import html_lang, is_rtl, strip_prefix

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_current(context: template.Context, prefix: str) -> SafeString:
    """``aria-current="page"`` when the page is in the section at ``prefix``.

    Screen readers announce it, and the CSS styles it, so the current section
    is not shown by colour alone.
    """
    request: HttpRequest | None = context.get("request")
    if request is not None and strip_prefix(request.path).startswith(prefix):
        return mark_safe(' aria-current="page"')
    return mark_safe("")


#: The sections the main navigation marks current (templates/base.html).
NAV_SECTIONS = frozenset({"releases", "organisations", "partnerships", "contacts"})


@register.filter
def nav_section(path: str) -> str:
    """The navigation's section a path is in (``/releases/…`` → ``releases``),
    without the language prefix, or ``""`` for any other page: the key of
    the navigation's kept HTML (``{% fixed %}``), which marks that section
    current (:func:`nav_current`).  Only these five values, whatever
    address a visitor makes up, so the kept copies stay five per language."""
    section = strip_prefix(path).strip("/").split("/", 1)[0]
    return section if section in NAV_SECTIONS else ""


@register.simple_tag
def content_lang(code: str | None) -> SafeString:
    """``lang``/``dir`` attributes for content written in ``code`` when it
    differs from the page's language (an English release listed on an Urdu
    page): screen readers then switch voice, and the text runs its own way.
    Nothing when they agree, so pages in one language carry no noise.
    """
    from django.utils.translation import get_language

    if not code or code == get_language():
        return mark_safe("")
    direction = "rtl" if is_rtl(code) else "ltr"
    return format_html(' lang="{}" dir="{}"', html_lang(code), direction)


@register.filter
def bcp47(code: str) -> str:
    """``en-GB`` for ``en-gb``: a language code as ``lang`` attributes write it."""
    return html_lang(code)


@register.filter
def isolate(value: object) -> SafeString:
    """``value`` (a name) in ``<bdi>`` on a right-to-left page.

    A name in Latin script ("RA", "Sara Khan") inside an Urdu sentence must
    be isolated, or the bidi algorithm reorders the words and punctuation
    around it.  For names put into a translated sentence
    (``{% blocktranslate with name=org.short_name|isolate %}``); on a
    left-to-right page the text is unchanged.
    """
    from django.utils.translation import get_language_bidi

    if get_language_bidi():
        return format_html("<bdi>{}</bdi>", value)
    return conditional_escape(value)


@register.simple_tag(takes_context=True)
def query_replace(context: template.Context, **changes: object) -> str:
    """The current query string with ``changes`` applied, starting with "?".

    Pagination links use it so the filters a journalist chose (tag,
    organisation, year…) survive a click on "Next". A value of ``None``
    removes the parameter.  Django 5.1's ``{% querystring %}`` is close, but
    it needs the request in context and drops ``None`` differently across
    versions; this is small enough to own and test.
    """
    request: HttpRequest | None = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def elided_pages(page: Page) -> Iterator[int | str]:
    """Page numbers around ``page`` with "…" gaps (1 2 … 9 10 11 … 40 41).

    ``Paginator.get_elided_page_range`` needs the current number, which a
    template cannot pass; this filter does.
    """
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.filter
def e164(phone: str) -> str:
    """A phone number as written, in E.164 for a ``tel:`` link ("" if unreadable)."""
    return normalise_phone(phone or "")

"""Absolute addresses on the canonical site, for whatever leaves the page.

Feeds, the API, vCards, sitemaps, structured data and plain-text bulletins are
read away from the site, so their links must be absolute.  They are built on
``NEWSROOM_SITE_URL`` — the address the public knows — and never on the host
name of the request, which behind a proxy or on an internal address is not
one a reader can follow.  One function, so that rule is changed in one place.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_ABSOLUTE_PREFIXES = ("http://", "https://")


def absolute_url(path_or_url: str) -> str:
    """``path_or_url`` on the canonical site address.

    A path (``/releases/x/``, with a query string or not) is put on
    ``NEWSROOM_SITE_URL``; a URL that is already absolute (a storage
    backend's address of a file, say) is returned unchanged rather than
    glued to the site address a second time.  A path without its leading
    slash still lands under the site's root, not glued to its host name.
    """
    if path_or_url.startswith(_ABSOLUTE_PREFIXES):
        return path_or_url
    if not path_or_url.startswith("/"):
        path_or_url = f"/{path_or_url}"
    return f"{settings.NEWSROOM_SITE_URL}{path_or_url}"


# Reversing a URL by name ------------------------------------------------------

#: A value that every slug converter accepts and no real URL contains, so
#: it can be found and replaced in a reversed address.
_SLUG_HOLE = "zq0slug0hole0qz"
_ASCII_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@functools.lru_cache(maxsize=256)
def _slug_pattern(viewname: str, kwarg: str, *key: str | None) -> str:
    """``key`` (script prefix, URL configuration, language) only keys the
    cache: ``reverse()`` reads them itself."""
    return reverse(viewname, kwargs={kwarg: _SLUG_HOLE})


def slug_url(viewname: str, slug: str, kwarg: str = "slug") -> str:
    """``reverse(viewname, kwargs={kwarg: slug})``, without reversing each time.

    ``reverse()`` walks the resolver and quotes its arguments on every call;
    a list page printing forty organisations' links spent a quarter of its
    time there (docs/PERFORMANCE.md).  The address is reversed once per
    name, script prefix, URL configuration and language, with a
    placeholder, and the slug is put in its place.  An ASCII slug needs no
    quoting and matches every slug converter; anything else (a Unicode
    slug, an empty one) goes through ``reverse()`` as before, with its
    checks and its ``NoReverseMatch``.
    """
    if not _ASCII_SLUG.fullmatch(slug or ""):
        return reverse(viewname, kwargs={kwarg: slug})
    pattern = _slug_pattern(
        viewname,
        kwarg,
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
        get_language(),
    )
    return pattern.replace(_SLUG_HOLE, slug, 1)

"""Absolute addresses on the canonical site, for whatever leaves the page.

Feeds, the API, vCards, sitemaps, structured data and plain-text bulletins are
read away from the site, so their links must be absolute.  They are built on
``NEWSROOM_SITE_URL`` — the address the public knows — and never on the host
name of the request, which behind a proxy or on an internal address is not
one a reader can follow.  One function, so that rule is changed in one place.
"""

from __future__ import annotations

from django.conf import settings

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

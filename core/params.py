"""The names of the list filters in a query string, one vocabulary for the
public site and the API.

A filter has one canonical name, the full word, which the API documents in
its OpenAPI document (``organisation``).  Older spellings stay readable,
because links that use them live on in bookmarks, e-mails and harvesters'
settings: the site's ``?org=``.  The site's lists, its contact directory and
the API all find a filter's value through :func:`filter_spelling`, so
``?org=iom`` and ``?organisation=iom`` are one request wherever they are sent.
"""

from __future__ import annotations

from collections.abc import Mapping

#: Canonical name → the older spellings still read.
FILTER_ALIASES: dict[str, tuple[str, ...]] = {"organisation": ("org",)}


def spellings(name: str) -> tuple[str, ...]:
    """Every spelling of the filter called ``name`` (by any of its names),
    the canonical one first: when a query gives two, the canonical wins."""
    for canonical, aliases in FILTER_ALIASES.items():
        if name == canonical or name in aliases:
            return (canonical, *aliases)
    return (name,)


def canonical_name(name: str) -> str:
    """The canonical name of the filter called ``name``."""
    return spellings(name)[0]


def filter_spelling(params: Mapping[str, str], name: str) -> str:
    """The spelling under which ``params`` gives the filter ``name``.

    The first spelling (canonical first) with a non-blank value: a blank
    ``?organisation=`` left by a form does not hide ``&org=iom``.  When no
    spelling has a value the canonical name is returned, so a caller that
    reads it finds nothing and an error message names the documented one.
    """
    for spelling in spellings(name):
        value = params.get(spelling)
        if value is not None and str(value).strip():
            return spelling
    return canonical_name(name)

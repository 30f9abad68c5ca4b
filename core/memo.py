"""Values derived from public content, computed once per content state.

Facet counts and totals are expensive and the same for every visitor until
something public changes.  :func:`remember` keys them on the *state token*
(the content version and the next embargo instant), so a publish,
correction, withdrawal or lifted embargo makes an old value unreachable:
nothing to invalidate.

The token is computed by the project (``newsroom.caching``, which knows which
rows are public); it plugs its function in with :func:`set_state_token_source`
at start-up, so that the apps that remember values (``search``) need not
import the project.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import translation

T = TypeVar("T")

_token_source: Callable[[HttpRequest], str] | None = None


def set_state_token_source(source: Callable[[HttpRequest], str]) -> None:
    """Install the function that gives the current state token of a request."""
    global _token_source
    _token_source = source


def memo_cache():
    """The shared page cache when one is configured (Redis), else the default."""
    alias = settings.NEWSROOM_PAGE_CACHE
    return caches[alias] if alias else caches["default"]


def remember(request: HttpRequest, name: str, compute: Callable[[], T], timeout: int = 3600) -> T:
    """``compute()`` once per content state, shared by every request until the
    state moves.  Without a state source (no project loaded) nothing is kept."""
    if _token_source is None:
        return compute()
    token = _token_source(request)
    digest = hashlib.blake2b(name.encode(), digest_size=16).hexdigest()
    # And per language: a remembered value may hold words of the interface
    # (a facet's heading, a month's name) or addresses with its prefix, and
    # two editions can ask the same question (``?language=all``).
    key = f"newsroom:memo:{token}:{translation.get_language()}:{digest}"
    cache = memo_cache()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=timeout)
    return value


#: Headers a remembered answer keeps; the validators and lifetime
#: (``ETag``, ``Cache-Control``, ``Vary``) are the caller's or the
#: middleware's, set afresh on every request.
_KEPT_HEADERS = ("Content-Type", "Last-Modified", "Content-Language", "X-Robots-Tag")


def remember_response(
    request: HttpRequest, name: str, build: Callable[[], HttpResponse], timeout: int = 3600
) -> HttpResponse:
    """``build()`` once per content state, kept as bytes.

    For large answers that are the same for every visitor until something
    public changes (feeds, sitemaps): the cache keeps the body's bytes and a
    few headers, not a pickled response, so a hit costs a copy, not an
    unpickling of objects.  Only a 200 is kept; anything else (a 404 for an
    unknown slug) is built every time.  ``name`` must say everything the
    answer depends on besides the state (the path and query string).
    """
    held: list[HttpResponse] = []

    def compute() -> tuple[int, bytes, list[tuple[str, str]]] | None:
        response = build()
        held.append(response)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if response.status_code != 200 or response.streaming:
            return None
        headers = [(h, response[h]) for h in _KEPT_HEADERS if response.has_header(h)]
        return response.status_code, bytes(response.content), headers

    kept = remember(request, name, compute, timeout=timeout)
    if held:  # built by this request: answer with what was built
        return held[0]
    if kept is None:  # remembered "not cacheable" cannot happen: None is never stored
        return build()
    status, body, headers = kept
    response = HttpResponse(body, status=status)
    for header, value in headers:
        response[header] = value
    return response

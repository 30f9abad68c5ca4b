"""Parts of a journalist's account page that other apps add, without this app knowing them.

``pressroom`` (above this app) shows "Embargoed for you" on the account page;
it cannot be imported from here, so it registers a panel at start-up::

    from journalists import panels
    panels.register(embargoed_for_you)   # in PressroomConfig.ready()

A panel is a callable ``(request, journalist)`` returning HTML (a string,
marked safe by the caller's template engine: use ``render_to_string``), a
context dict with a ``"template"`` key (rendered here with the request), or
``None`` to show nothing.  One that fails is logged and left out: a broken
panel must not take the journalist's account page down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

Panel = Callable[[Any, Any], "str | dict[str, Any] | None"]

_PANELS: list[Panel] = []


def register(panel: Panel) -> Panel:
    """Add ``panel`` to the account page (once; usable as a decorator)."""
    if panel not in _PANELS:
        _PANELS.append(panel)
    return panel


def unregister(panel: Panel) -> None:
    if panel in _PANELS:
        _PANELS.remove(panel)


def render_all(request: Any, journalist: Any) -> list[SafeString]:
    """Each registered panel's HTML, in the order they were registered."""
    out: list[SafeString] = []
    for panel in list(_PANELS):
        try:
            result = panel(request, journalist)
        except Exception:
            logger.exception("account page panel %r failed", panel)
            continue
        if not result:
            continue
        if isinstance(result, dict):
            context = dict(result)
            template = context.pop("template")
            html = render_to_string(template, {"journalist": journalist, **context}, request)
            out.append(mark_safe(html))  # rendered by the template engine
        else:
            out.append(mark_safe(str(result)))  # the panel's own rendered HTML
    return out

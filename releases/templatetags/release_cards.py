"""``{% release_card release heading_level=3 %}``: a list item, rendered once
per content state.

A release card (``releases/_release_card.html``) is the same for every
visitor until something public changes, yet an ``{% include %}`` renders it
anew on every request: on the home page the eight cards were half of the
template time (docs/PERFORMANCE.md, issue #17).  This tag keeps each card's
HTML with :func:`core.memo.remember`, keyed on the content state token
(which every publish, correction, withdrawal and lifted embargo moves: an
old card becomes unreachable, nothing to invalidate), the release, the
heading level and the active language.

The card is rendered from the release and the heading level alone, never
from the page's context: that is what makes it the same for everyone.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.memo import remember
from releases.models import PressRelease

register = template.Library()

CARD_TEMPLATE = "releases/_release_card.html"


@register.simple_tag(takes_context=True)
def release_card(
    context: template.Context, release: PressRelease, heading_level: int = 2
) -> SafeString:
    def render() -> str:
        return render_to_string(CARD_TEMPLATE, {"release": release, "heading_level": heading_level})

    request = context.get("request")
    if request is None or release.pk is None:
        return mark_safe(render())
    name = f"release-card:{release.pk}:{heading_level}:{get_language()}"
    return mark_safe(remember(request, name, render))

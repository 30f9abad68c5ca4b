"""The release form's press-room panel, filled from :func:`pressroom.admin.panel_context`."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def pressroom_panel(context: template.Context, release: Any) -> dict[str, Any]:
    from pressroom.admin import panel_context

    return panel_context(release, context["request"].user)

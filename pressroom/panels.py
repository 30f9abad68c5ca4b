"""The journalist's account page: the embargoed releases open to them now.

``journalists.panels`` (the account page's registry, built alongside this
app) calls :func:`embargoed_panel`; ``PressroomConfig.ready`` registers it
when that module exists.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from journalists.access import trusted_journalist
from journalists.models import Journalist
from pressroom import rules
from pressroom.embargo import embargo_until


def embargoed_panel(request: HttpRequest, journalist: Journalist) -> SafeString:
    """HTML of the panel; empty list and a word on why when not trusted now."""
    trusted = trusted_journalist(request.user)
    releases = list(rules.embargoed_for(trusted)) if trusted is not None else []
    return render_to_string(
        "pressroom/_account_panel.html",
        {
            "trusted": trusted is not None,
            "items": [(release, embargo_until(release)) for release in releases],
        },
        request=request,
    )

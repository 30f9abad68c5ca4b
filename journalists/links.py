"""Where the staff's decision pages are (the admin's), for the admin and the desk's dashboard.

Kept apart from ``journalists.admin`` so that the desk can link to them
without importing an admin module while the admin site is being built.
"""

from __future__ import annotations

from django.contrib.admin.utils import quote
from django.urls import reverse


def rule_url(journalist_id: int, name: str) -> str:
    """The confirmation page of staff rule ``name`` (``journalists.rules``) for one journalist."""
    return reverse("admin:journalists_journalist_rule", args=[quote(journalist_id), name])

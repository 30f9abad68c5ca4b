"""Adding an action to another app's admin list, from the app above it.

``medialists`` and ``reach`` put "Send to media lists…" and "Reach…" on the
release list, which belongs to ``releases`` — an app that may not import them
(the dependency rule).  So the upper app, in its ``AppConfig.ready()``, wraps
the registered ModelAdmin's ``get_actions`` once, and shows its action only to
those holding its permission.  Several apps may plug into one list: each
wrapper calls the one before it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def plug_action(
    model: type,
    name: str,
    action: Callable[..., Any],
    description: str,
    permission: str,
) -> bool:
    """Offer ``action`` on ``model``'s admin list to holders of ``permission``.

    Returns False when the model has no admin, or the action is already plugged
    (``ready()`` may run more than once in tests).
    """
    from django.contrib import admin

    model_admin = admin.site._registry.get(model)
    plugged = getattr(model_admin, "_plugged_actions", None)
    if model_admin is None or (plugged is not None and name in plugged):
        return False
    original = model_admin.get_actions

    def get_actions(request):
        actions = original(request)
        if request.user.has_perm(permission):
            actions[name] = (action, name, description)
        return actions

    model_admin.get_actions = get_actions
    model_admin._plugged_actions = {*(plugged or ()), name}
    return True

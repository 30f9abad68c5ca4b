"""Third-party admin tables kept off the admin's home page for everyone but administrators.

Login attempts (django-axes), tags (django-taggit) and the task queue
(django-tasks-db) are the machinery, not the work: a writer, an editor or a
publisher does not need them among the links of their home page.  Their
admins are re-registered here with :class:`~releases.admin.audit.TechnicalTable`
mixed in; nothing else about them changes.  (The desk app is listed after
those apps, so their own admins are registered when this module runs.)
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model

from releases.admin.audit import TechnicalTable


def _hide(model: type[Model]) -> None:
    """Re-register ``model``'s admin with :class:`TechnicalTable` mixed in, if it is registered."""
    site = admin.site
    if not site.is_registered(model):
        return
    current = type(site.get_model_admin(model))
    if issubclass(current, TechnicalTable):
        return
    hidden = type(f"Technical{current.__name__}", (TechnicalTable, current), {})
    site.unregister(model)
    site.register(model, hidden)


def hide_technical_tables() -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_tasks_db.models import DBTaskResult
    from taggit.models import Tag

    for model in (AccessAttempt, AccessLog, AccessFailureLog, Tag, DBTaskResult):
        _hide(model)


hide_technical_tables()

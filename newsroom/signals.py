"""Keep :class:`newsroom.models.ContentVersion` moving with public content.

Imported by ``NewsroomConfig.ready`` (never at model import): it needs the
models of every app."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from newsroom.caching import content_changed

#: Apps whose rows can change what a public page shows.
CONTENT_APPS = frozenset({"releases", "contacts", "bulletins", "taggit"})


def _content_changed(sender: type, **kwargs: Any) -> None:
    if getattr(sender, "_meta", None) is None or sender._meta.app_label not in CONTENT_APPS:
        return
    if kwargs.get("raw"):  # loaddata: the fixture's own rows, not an edit
        return
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    content_changed()


def connect() -> None:
    post_save.connect(_content_changed, dispatch_uid="newsroom.content_changed.save")
    post_delete.connect(_content_changed, dispatch_uid="newsroom.content_changed.delete")
    m2m_changed.connect(_content_changed, dispatch_uid="newsroom.content_changed.m2m")

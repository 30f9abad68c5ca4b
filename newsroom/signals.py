"""Keep :class:`newsroom.models.ContentVersion` moving with what the public
can see — and with nothing else.

Every public page's ``ETag`` and ``Last-Modified`` derive from the version,
so a bump is visible from outside.  Were drafts, reviews, schedules, preview
links or the audit log to bump it, anyone polling the home page would see
the newsroom at work on something not yet public (a burst of edits the
night before an announcement).  So a write moves the version only if the row
it touches is public before or after it — and "public" is asked of the
querysets that define it (``PressRelease.objects.viewable()``,
``MediaContact.objects.public()``, ``Partnership.objects.public()``,
``Bulletin.objects.with_public_releases()``, ``releases.public.public_topics()``),
never restated here.  A scheduled release edited before its instant is picked
up when it goes public: the newest public release is part of the state token
(``newsroom.caching``).

Imported by ``NewsroomConfig.ready`` (never at model import): it needs the
models of every app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from bulletins.models import Bulletin
from contacts.models import MediaContact, Partnership
from newsroom.caching import content_changed, forget_state
from releases.models import PressRelease
from releases.public import public_topics

#: Apps whose rows can change what a public page shows.
CONTENT_APPS = frozenset({"releases", "contacts", "bulletins", "taggit"})

#: Rows no public page shows, whatever their release: staff-only records.
STAFF_ONLY = frozenset({"releases.auditlogentry", "releases.previewlink"})

#: Rows that are public only sometimes: the queryset of the public ones.
#: Rows of other content models (organisations…) are public records.
PUBLIC_ROWS: dict[str, Callable[[], QuerySet]] = {
    "releases.pressrelease": lambda: PressRelease.objects.viewable(),
    "contacts.mediacontact": lambda: MediaContact.objects.public(),
    "contacts.partnership": lambda: Partnership.objects.public(),
    "bulletins.bulletin": lambda: Bulletin.objects.with_public_releases(),
    "taggit.tag": public_topics,
}

#: Rows that show only through the row they belong to: the foreign key to it.
OWNED_BY = {
    "releases.releaseorganisation": "release",
    "releases.releasecontact": "release",
    "releases.changenote": "release",
    "releases.releaseimage": "release",
    "releases.releaseattachment": "release",
    "bulletins.bulletinitem": "release",
    "contacts.partnershipmember": "partnership",
}

_WAS_PUBLIC = "_newsroom_was_public"


def _is_content(sender: Any) -> bool:
    meta = getattr(sender, "_meta", None)
    return meta is not None and meta.app_label in CONTENT_APPS


def _public(label: str, pk: Any) -> bool:
    """Is the row ``pk`` of ``label`` public now (as stored in the database)?"""
    if label in STAFF_ONLY:
        return False
    rows = PUBLIC_ROWS.get(label)
    if rows is None:
        return True
    return pk is not None and rows().filter(pk=pk).exists()


def is_public(instance: Model) -> bool:
    """Can the public see ``instance`` (or the row it belongs to) now?"""
    label = instance._meta.label_lower
    if label in OWNED_BY:
        field = instance._meta.get_field(OWNED_BY[label])
        return _public(field.related_model._meta.label_lower, getattr(instance, field.attname))
    if label == "taggit.taggeditem":  # a topic on a tagged object
        model = ContentType.objects.get_for_id(instance.content_type_id).model_class()
        return model is None or _public(model._meta.label_lower, instance.object_id)
    return _public(label, instance.pk)


def _changed(public: bool) -> None:
    """Bump when the public can see the change; either way drop this
    worker's memo of the state, which may hold a next embargo instant the
    write has just moved (a memo is never trusted past the instant it
    knows, so it must know the right one)."""
    if public:
        content_changed()
    else:
        forget_state()


def _before_save(sender: type, instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if _is_content(sender) and not raw and not instance._state.adding:
        setattr(instance, _WAS_PUBLIC, is_public(instance))


def _after_save(sender: type, instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if not _is_content(sender) or raw:  # loaddata: the fixture's own rows, not an edit
        return
    was_public = instance.__dict__.pop(_WAS_PUBLIC, False)
    _changed(was_public or is_public(instance))


def _before_delete(sender: type, instance: Model, **kwargs: Any) -> None:
    # Asked before the row (and what it belongs to) is gone.
    if _is_content(sender):
        setattr(instance, _WAS_PUBLIC, is_public(instance))


def _after_delete(sender: type, instance: Model, **kwargs: Any) -> None:
    if _is_content(sender):
        _changed(instance.__dict__.pop(_WAS_PUBLIC, True))


def _links_changed(
    sender: type,
    instance: Model,
    action: str,
    model: type,
    pk_set: set | None,
    reverse: bool = False,
    **kwargs: Any,
) -> None:
    """Link rows added or removed in bulk (tags, partnerships, issuers…).

    They show only on public releases: the release side decides, whichever
    side the change was made from.  A clear from the far side names no
    release, so it counts as public.
    """
    if not _is_content(sender) or not action.startswith("post_"):
        return
    if isinstance(instance, PressRelease):
        public = is_public(instance)
    elif model is PressRelease and pk_set is not None:
        public = PressRelease.objects.viewable().filter(pk__in=pk_set).exists()
    else:
        public = True
    _changed(public)


def connect() -> None:
    pre_save.connect(_before_save, dispatch_uid="newsroom.content_changed.pre_save")
    post_save.connect(_after_save, dispatch_uid="newsroom.content_changed.save")
    pre_delete.connect(_before_delete, dispatch_uid="newsroom.content_changed.pre_delete")
    post_delete.connect(_after_delete, dispatch_uid="newsroom.content_changed.delete")
    m2m_changed.connect(_links_changed, dispatch_uid="newsroom.content_changed.m2m")

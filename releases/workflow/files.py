"""Pictures and documents: part of a release's content, under the release's own rules.

A picture's caption is as much the release as its title: who may change it,
when it needs a public note and when it needs a new review are the
release's rules (:func:`~releases.workflow.permissions.can_edit`,
:mod:`~releases.workflow.edits`).  The release's change form applies all of
them at once, so that is where files are changed.  The stand-alone picture
and document pages are lists; a superuser may still use them for a draft or
a release in review, where no change note or new review is at stake, and
such a change is audited like any other edit.

Recovering a deleted release brings its pictures and documents back with
their stored files; :func:`drop_missing_files` deals with a file that is
truly gone (removed by hand from storage) so that the rest is recovered.
"""

from __future__ import annotations

from django.core.files.storage import default_storage

from releases.models import PressRelease, ReleaseAttachment, ReleaseImage
from releases.workflow.permissions import Status, User, can_edit


def can_change_files_directly(user: User, release: PressRelease | None) -> bool:
    """May ``user`` change ``release``'s files outside the release's change form?

    Only a superuser, only where the release is editable by them, and only
    while it is a draft or in review: an approved, scheduled or public
    release's files change through its form, which sends it back for review
    or asks for the public change note.
    """
    if release is None or release.pk is None:
        return False
    return bool(
        user
        and user.is_active
        and getattr(user, "is_superuser", False)
        and release.status in (Status.DRAFT, Status.IN_REVIEW)
        and can_edit(user, release)
    )


def describe(obj: ReleaseImage | ReleaseAttachment) -> str:
    """ "picture “Families at the clinic”" / "document “Signed MoU”", for messages and the log."""
    if isinstance(obj, ReleaseImage):
        return f"picture “{obj.caption or obj.alt_text or obj.pk}”"
    return f"document “{obj.title or obj.pk}”"


def stored_name(obj: ReleaseImage | ReleaseAttachment) -> str:
    field = obj.image if isinstance(obj, ReleaseImage) else obj.file
    return field.name or ""


def is_stored(name: str) -> bool:
    """Is there a file under ``name`` in storage?"""
    if not name:
        return False
    try:
        return default_storage.exists(name)
    except OSError:
        return False


def drop_missing_files(release: PressRelease) -> list[str]:
    """Delete the picture and document rows of ``release`` whose file is gone; say which.

    Used when a deleted release is recovered: its rows come back from the
    revision, but a file removed from storage by hand cannot; without its
    file the row would break the form and the public page, so it is left
    out and named (``picture “…” (file releases/images/….jpg is missing)``).
    """
    missing = []
    for obj in [*release.images.all(), *release.attachments.all()]:
        name = stored_name(obj)
        if not is_stored(name):
            missing.append(f"{describe(obj)} (its file {name or '(none)'} is missing)")
            obj.delete()
    return missing

"""Stored originals that nothing refers to any more, and their removal.

A picture's or document's original is kept when its row is deleted or its
file replaced (``releases/models/media.py``), because a revision may bring
it back.  This module finds the files under the release upload folders that
**no row and no revision** names, so that ``manage.py purge_orphan_files``
can remove them, and the renditions of pictures that no longer exist.

Only files older than a margin are candidates: an upload whose row is still
being saved in another transaction must not be taken for an orphan.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator

from django.core.files.storage import Storage, default_storage
from django.utils import timezone
from reversion.models import Version

from releases.models import ReleaseAttachment, ReleaseImage
from releases.renditions import RENDITION_ROOT

#: Where originals are uploaded (``image_upload_to``, ``attachment_upload_to``).
ORIGINAL_ROOTS = ("releases/images", "releases/files")


def _walk(storage: Storage, root: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(root)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in files:
        yield f"{root}/{name}"
    for folder in folders:
        yield from _walk(storage, f"{root}/{folder}")


def referenced_names() -> set[str]:
    """Every original a picture or document row, or any revision of one, names."""
    names: set[str] = set()
    names.update(ReleaseImage.objects.values_list("image", flat=True))
    names.update(ReleaseAttachment.objects.values_list("file", flat=True))
    for model, field in ((ReleaseImage, "image"), (ReleaseAttachment, "file")):
        rows = Version.objects.get_for_model(model).values_list("serialized_data", flat=True)
        for data in rows.iterator():
            try:
                names.add(json.loads(data)[0]["fields"][field])
            except (ValueError, LookupError, TypeError):
                continue  # unreadable: it names nothing we could delete safely anyway
    names.discard("")
    names.discard(None)
    return names


def _old_enough(storage: Storage, name: str, cutoff: datetime.datetime | None) -> bool:
    if cutoff is None:
        return True
    try:
        return storage.get_modified_time(name) <= cutoff
    except (NotImplementedError, OSError):
        return False  # age unknown: keep it


def orphan_files(
    older_than: datetime.timedelta = datetime.timedelta(hours=24),
    storage: Storage | None = None,
) -> list[str]:
    """Originals and renditions that may be deleted, sorted; nothing is deleted here.

    ``older_than=timedelta(0)`` considers every file, whatever its age.
    """
    storage = storage or default_storage
    cutoff = timezone.now() - older_than if older_than > datetime.timedelta(0) else None
    keep = referenced_names()
    found = [
        name
        for root in ORIGINAL_ROOTS
        for name in _walk(storage, root)
        if name not in keep and _old_enough(storage, name, cutoff)
    ]
    live_ids = {str(pk) for pk in ReleaseImage.objects.values_list("pk", flat=True)}
    try:
        image_folders, _files = storage.listdir(RENDITION_ROOT)
    except (FileNotFoundError, NotImplementedError):
        image_folders = []
    for folder in image_folders:
        if folder not in live_ids:
            root = f"{RENDITION_ROOT}/{folder}"
            found.extend(n for n in _walk(storage, root) if _old_enough(storage, n, cutoff))
    return sorted(found)


def purge_orphan_files(
    older_than: datetime.timedelta = datetime.timedelta(hours=24),
    *,
    dry_run: bool = False,
    storage: Storage | None = None,
) -> list[str]:
    """Delete what :func:`orphan_files` finds (unless ``dry_run``); returns the names."""
    storage = storage or default_storage
    names = orphan_files(older_than, storage)
    if not dry_run:
        for name in names:
            try:
                storage.delete(name)
            except OSError:
                continue
    return names

"""Which release rows django-reversion keeps, and what a revision follows.

Following the issuers, contacts, pictures, documents and change notes is
what lets a deleted release be recovered whole, and lets a revision be
compared with another including who issued it.  The release's own row is
written in :mod:`~releases.models.revision_format`, which adds the names of
its topics (django-taggit's generic table is not followed: its rows point
at topic ids, which a deleted topic would leave dangling).

The stored file of a picture or document is kept when its row is deleted
or its file replaced (``media.py``), because a revision may still bring
the row back; ``manage.py purge_orphan_files`` removes the files that no
row and no revision refer to.  Registered at model import
(``releases.models`` imports this module last), so revisions are kept by the
admin, the workflow and commands alike.
"""

from __future__ import annotations

import reversion
from django.core import serializers

from releases.models import revision_format
from releases.models.media import ReleaseAttachment, ReleaseImage
from releases.models.release import ChangeNote, PressRelease, ReleaseContact, ReleaseOrganisation


def register_revisions() -> None:
    """Register the release and its link rows (idempotent)."""
    for model in (ReleaseOrganisation, ReleaseContact, ReleaseImage, ReleaseAttachment, ChangeNote):
        if not reversion.is_registered(model):
            reversion.register(model)
    if revision_format.FORMAT not in serializers.get_serializer_formats():
        serializers.register_serializer(revision_format.FORMAT, revision_format.__name__)
    if not reversion.is_registered(PressRelease):
        reversion.register(
            PressRelease,
            follow=["issuers", "contact_links", "images", "attachments", "change_notes"],
            format=revision_format.FORMAT,
        )


register_revisions()

"""Which release rows django-reversion keeps, and what a revision follows.

Following the issuers, contacts, pictures, documents and change notes is
what lets a deleted release be recovered whole, and lets a revision be
compared with another including who issued it.  Registered at model import
(``releases.models`` imports this module last), so revisions are kept by the
admin, the workflow and commands alike.
"""

from __future__ import annotations

import reversion

from releases.models.media import ReleaseAttachment, ReleaseImage
from releases.models.release import ChangeNote, PressRelease, ReleaseContact, ReleaseOrganisation


def register_revisions() -> None:
    """Register the release and its link rows (idempotent)."""
    for model in (ReleaseOrganisation, ReleaseContact, ReleaseImage, ReleaseAttachment, ChangeNote):
        if not reversion.is_registered(model):
            reversion.register(model)
    if not reversion.is_registered(PressRelease):
        reversion.register(
            PressRelease,
            follow=["issuers", "contact_links", "images", "attachments", "change_notes"],
        )


register_revisions()

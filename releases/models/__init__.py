"""Release models, split by concern (as Wagtail does): the release itself and
its link rows, pictures and documents, the audit log and preview links.

``revisions`` is imported last: it registers the models above with
django-reversion."""

from releases.models.audit import AuditLogEntry
from releases.models.media import ReleaseAttachment, ReleaseImage
from releases.models.preview import PreviewLink
from releases.models.release import (
    ChangeNote,
    PressRelease,
    PressReleaseQuerySet,
    ReleaseContact,
    ReleaseOrganisation,
)
from releases.models.revisions import register_revisions

__all__ = [
    "AuditLogEntry",
    "ChangeNote",
    "PressRelease",
    "PressReleaseQuerySet",
    "PreviewLink",
    "ReleaseAttachment",
    "ReleaseContact",
    "ReleaseImage",
    "ReleaseOrganisation",
    "register_revisions",
]

"""Release models, split by concern (as Wagtail does): the release itself and
its links, media files, and — added by later modules — workflow records."""

from releases.models.media import ReleaseAttachment, ReleaseImage
from releases.models.release import (
    ChangeNote,
    PressRelease,
    PressReleaseQuerySet,
    ReleaseContact,
    ReleaseOrganisation,
)
from releases.models.workflow import AuditLogEntry, PreviewLink

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
]

"""Release models, split by concern (as Wagtail does): the release itself and
its links, media files, and — added by later modules — workflow records."""

from releases.models.bulletin import Bulletin, BulletinItem, ImportRecord
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
    "Bulletin",
    "BulletinItem",
    "ChangeNote",
    "ImportRecord",
    "PressRelease",
    "PressReleaseQuerySet",
    "PreviewLink",
    "ReleaseAttachment",
    "ReleaseContact",
    "ReleaseImage",
    "ReleaseOrganisation",
]

"""The publishing admin, one module per concern.

Importing this package registers every admin of the ``releases`` app (Django's
admin autodiscovery imports it): the press releases with their workflow pages
(``press_releases``, ``workflow_views``, ``forms``, ``compare``), pictures and
documents (``media``), the audit log and preview links (``audit``).  The
bulletin and import admins are in their own apps.
"""

from releases.admin.audit import AuditLogEntryAdmin, PreviewLinkAdmin
from releases.admin.compare import compare_rows, inline_diff
from releases.admin.forms import CONFLICT_FIELDS, PressReleaseForm
from releases.admin.helpers import format_instant
from releases.admin.media import (
    ReleaseAttachmentAdmin,
    ReleaseAttachmentInline,
    ReleaseImageAdmin,
    ReleaseImageForm,
    ReleaseImageInline,
)
from releases.admin.press_releases import (
    PressReleaseAdmin,
    ReleaseContactInline,
    ReleaseOrganisationInline,
    WorkflowStatusFilter,
)

__all__ = [
    "CONFLICT_FIELDS",
    "AuditLogEntryAdmin",
    "PressReleaseAdmin",
    "PressReleaseForm",
    "PreviewLinkAdmin",
    "ReleaseAttachmentAdmin",
    "ReleaseAttachmentInline",
    "ReleaseContactInline",
    "ReleaseImageAdmin",
    "ReleaseImageForm",
    "ReleaseImageInline",
    "ReleaseOrganisationInline",
    "WorkflowStatusFilter",
    "compare_rows",
    "format_instant",
    "inline_diff",
]

"""The former address of the picture and document admin, now ``releases.admin.media``.

Kept so that code importing from here (tests among it) goes on working;
import from ``releases.admin.media`` in new code.
"""

from releases.admin.media import (  # noqa: F401
    ReleaseAttachmentAdmin,
    ReleaseAttachmentInline,
    ReleaseImageAdmin,
    ReleaseImageForm,
    ReleaseImageInline,
    image_preview,
    preview_url,
)

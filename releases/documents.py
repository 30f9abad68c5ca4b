"""Attached documents of a release: what counts as a real PDF or Word file.

A document is checked by its content, not its name, and a Word file (a ZIP
of XML) is refused when it would unpack to more than a document ever needs.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404

from core.images import check_file_size

if TYPE_CHECKING:
    from releases.models import ReleaseAttachment

#: A .docx unpacks to XML; more than this uncompressed is a zip bomb, not a document.
DOCX_MAX_UNCOMPRESSED = 200 * 1024 * 1024

ATTACHMENT_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def attachment_max_bytes() -> int:
    return settings.NEWSROOM_ATTACHMENT_MAX_BYTES


def detect_document_kind(file: IO[bytes]) -> str | None:
    """``"pdf"`` or ``"docx"`` by the file's content, else None.

    The extension proves nothing; the first bytes do: ``%PDF-`` opens every
    PDF, and a Word document is a ZIP holding ``word/document.xml``.
    """
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            file.seek(0)
        if "word/document.xml" in names:
            return "docx"
    return None


def validate_attachment_file(file: IO[bytes] | None) -> None:
    """Accept only a real, complete PDF or Word (.docx) file of bounded size."""
    if file is None:
        return
    check_file_size(file, attachment_max_bytes(), "This file", "file_too_large")
    try:
        kind = detect_document_kind(file)
    except Exception:
        kind = None
    if kind is None:
        raise ValidationError(
            "This file is not a PDF or a Word (.docx) document. "
            "Save it as PDF or .docx and upload it again.",
            code="not_a_document",
        )
    name = getattr(file, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext and ext != kind:
        raise ValidationError(
            "This file is named .%(ext)s but is a %(kind)s file. Rename it to .%(kind)s.",
            code="wrong_extension",
            params={"ext": ext, "kind": kind},
        )
    try:
        if kind == "pdf":
            _check_pdf(file)
        else:
            _check_docx(file)
    finally:
        with contextlib.suppress(Exception):
            file.seek(0)


def _check_pdf(file: IO[bytes]) -> None:
    # Readers look for the end-of-file marker in the last kilobyte; an upload
    # cut off half-way lacks it.
    file.seek(0, io.SEEK_END)
    end = file.tell()
    file.seek(max(0, end - 1024))
    if b"%%EOF" not in file.read():
        raise ValidationError(
            "This PDF is incomplete (the upload may have been cut off). Upload it again.",
            code="truncated_document",
        )


def _check_docx(file: IO[bytes]) -> None:
    file.seek(0)
    with zipfile.ZipFile(file) as archive:
        infos = archive.infolist()
    if any(info.filename == "word/vbaProject.bin" for info in infos):
        raise ValidationError(
            "Documents with macros are not accepted. Save it as a plain .docx or as PDF.",
            code="macro_document",
        )
    if sum(info.file_size for info in infos) > DOCX_MAX_UNCOMPRESSED:
        raise ValidationError(
            "This document unpacks to an unreasonable size and cannot be accepted.",
            code="document_bomb",
        )


def document_response(attachment: ReleaseAttachment) -> FileResponse:
    """The stored document as a download under its own name and detected type;
    a file gone from storage is a 404, not a 500.  Callers add the caching."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing.") from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.download_filename,
        content_type=attachment.content_type,
    )

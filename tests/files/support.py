"""Pictures and documents made in memory for the media tests (no binary fixtures)."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(
    width: int = 64,
    height: int = 48,
    fmt: str = "JPEG",
    color: tuple[int, ...] = (200, 80, 40),
    mode: str = "RGB",
    exif: Image.Exif | None = None,
) -> bytes:
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new(mode, (width, height), color).save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def oriented_jpeg(width: int, height: int, orientation: int) -> bytes:
    """A JPEG stored ``width``x``height`` with an EXIF orientation tag and a GPS-ish tag.

    The left half is red and the right half blue, so a test can see which way
    the bitmap was turned.
    """
    image = Image.new("RGB", (width, height), (255, 0, 0))
    image.paste((0, 0, 255), (width // 2, 0, width, height))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Example Camera Maker"  # Make
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=95)
    return buffer.getvalue()


def pdf_bytes(text: str = "Signed memorandum") -> bytes:
    """A minimal but well-formed one-page PDF."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
        b"% " + text.encode() + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def docx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    """A ZIP with the parts that make a Word document (as python-docx writes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()

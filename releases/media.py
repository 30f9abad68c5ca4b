"""Renditions of release pictures, and validation of attached documents.

Journalists download the original exactly as uploaded (it is the
high-resolution file, EXIF and all).  Web pages show *renditions*: resized
copies with the EXIF orientation applied and every piece of metadata dropped
(a phone picture's EXIF can carry the GPS position of the photographer).

Renditions are made on first request (or right after an upload, see
``ReleaseImage.save``) and stored under
``releases/renditions/<image id>/<checksum prefix>/<name>.<ext>``.  The path
carries the checksum of the original, so:

* the result is deterministic and idempotent — the same original always maps
  to the same names and the same bytes, and an existing file is reused;
* replacing the picture changes the checksum, hence the path: stale
  renditions can never be served, and the old folder is removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import zipfile
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from PIL import Image, ImageOps

from newsroom.images import check_file_size

if TYPE_CHECKING:
    from releases.models import ReleaseImage

logger = logging.getLogger(__name__)

RENDITION_ROOT = "releases/renditions"


@dataclass(frozen=True)
class RenditionSpec:
    """``width`` alone: scale to that width (never up).  ``size``: crop to fill."""

    name: str
    width: int | None = None
    size: tuple[int, int] | None = None


RENDITIONS: dict[str, RenditionSpec] = {
    "thumb": RenditionSpec("thumb", width=400),
    "web": RenditionSpec("web", width=1200),
    "social": RenditionSpec("social", size=(1200, 630)),
}
#: Every name the image URL accepts; "original" is the upload itself.
IMAGE_VARIANTS = ("original", *RENDITIONS)

#: format key -> (extension, content type, Pillow format)
FORMATS: dict[str, tuple[str, str, str]] = {
    "jpeg": ("jpg", "image/jpeg", "JPEG"),
    "webp": ("webp", "image/webp", "WEBP"),
}


@dataclass(frozen=True)
class Rendition:
    """What a template needs to print an ``<img>``: URL and pixel size."""

    name: str
    url: str
    width: int
    height: int


def file_checksum(file: IO[bytes]) -> str:
    """SHA-256 of a file's content (read in chunks, position restored)."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def oriented_size(file: IO[bytes]) -> tuple[int, int]:
    """The size of a picture as viewers show it (EXIF rotation applied).

    A phone stores a portrait photo as a landscape bitmap plus an
    orientation tag; width/height attributes must describe what is seen.
    """
    file.seek(0)
    try:
        with Image.open(file) as image:
            width, height = image.size
            orientation = image.getexif().get(0x0112, 1)
    finally:
        file.seek(0)
    if orientation in (5, 6, 7, 8):
        return height, width
    return width, height


def rendition_size(spec: RenditionSpec, width: int, height: int) -> tuple[int, int]:
    """Pixel size of a rendition of a ``width``x``height`` (oriented) original."""
    if spec.size:
        return spec.size
    assert spec.width is not None
    if width <= spec.width:
        return width, height
    return spec.width, max(1, round(height * spec.width / width))


def rendition_path(image_id: int, checksum: str, name: str, fmt: str) -> str:
    ext = FORMATS[fmt][0]
    return f"{RENDITION_ROOT}/{image_id}/{checksum[:16]}/{name}.{ext}"


def render(source: IO[bytes], spec: RenditionSpec, fmt: str) -> bytes:
    """Encode one rendition of ``source``: oriented, resized, metadata-free.

    Only the ICC colour profile is carried over (it is colour, not personal
    data; dropping it would shift the colours of Adobe RGB pictures).
    """
    _ext, _content_type, pil_format = FORMATS[fmt]
    source.seek(0)
    with Image.open(source) as original:
        icc_profile = original.info.get("icc_profile")
        target = rendition_size(spec, *_oriented(original))
        if original.format in ("JPEG", "MPO"):
            # Decode at a reduced scale when the target is much smaller: same
            # result quality after LANCZOS, a fraction of the memory.
            w, h = target
            if original.getexif().get(0x0112, 1) in (5, 6, 7, 8):
                w, h = h, w
            original.draft("RGB", (w, h))
        image = ImageOps.exif_transpose(original)
        image = _flatten(image)
        if spec.size:
            image = ImageOps.fit(image, spec.size, Image.Resampling.LANCZOS, centering=(0.5, 0.5))
        elif image.size != target:
            image = image.resize(target, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    options: dict[str, object] = {}
    if icc_profile:
        options["icc_profile"] = icc_profile
    if pil_format == "JPEG":
        options.update(quality=82, optimize=True, progressive=True)
    else:
        options.update(quality=80, method=4)
    image.save(out, pil_format, **options)
    return out.getvalue()


def _oriented(image: Image.Image) -> tuple[int, int]:
    width, height = image.size
    if image.getexif().get(0x0112, 1) in (5, 6, 7, 8):
        return height, width
    return width, height


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no alpha, and a transparent logo on black is unreadable."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def ensure_rendition(
    image: ReleaseImage, name: str, fmt: str = "jpeg", storage: Storage | None = None
) -> str:
    """Storage name of the rendition, made now if it does not exist yet.

    Safe under concurrency: two workers that render the same rendition at
    once write identical bytes; the loser's copy (saved under a suffixed
    name by the storage) is deleted and the canonical name returned.
    """
    storage = storage or default_storage
    if not image.checksum:
        image.refresh_file_facts(save=True)
    path = rendition_path(image.pk, image.checksum, name, fmt)
    if storage.exists(path):
        return path
    with image.image.open("rb") as source:
        data = render(source, RENDITIONS[name], fmt)
    saved = storage.save(path, ContentFile(data))
    if saved != path:
        with contextlib.suppress(OSError):
            storage.delete(saved)
    return path


def generate_renditions(image: ReleaseImage) -> list[str]:
    """Make every rendition of ``image`` (used right after an upload)."""
    return [ensure_rendition(image, name, fmt) for name in RENDITIONS for fmt in FORMATS]


def delete_renditions(image_id: int, keep_checksum: str = "") -> None:
    """Remove stored renditions of an image, except those of ``keep_checksum``."""
    root = f"{RENDITION_ROOT}/{image_id}"
    try:
        folders, _files = default_storage.listdir(root)
    except (FileNotFoundError, NotImplementedError):
        return
    for folder in folders:
        if keep_checksum and folder == keep_checksum[:16]:
            continue
        _sub, files = default_storage.listdir(f"{root}/{folder}")
        for filename in files:
            with contextlib.suppress(OSError):
                default_storage.delete(f"{root}/{folder}/{filename}")
        with contextlib.suppress(OSError):
            default_storage.delete(f"{root}/{folder}")


def generate_renditions_safely(image_id: int) -> None:
    """Pre-render after commit; a failure only means lazy rendering later."""
    from releases.models import ReleaseImage

    try:
        image = ReleaseImage.objects.get(pk=image_id)
        generate_renditions(image)
    except Exception:
        logger.exception("Could not pre-render renditions of release image %s", image_id)


# Attachments ---------------------------------------------------------------

ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024
#: A .docx unpacks to XML; more than this uncompressed is a zip bomb, not a document.
DOCX_MAX_UNCOMPRESSED = 200 * 1024 * 1024

ATTACHMENT_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def attachment_max_bytes() -> int:
    return int(getattr(settings, "NEWSROOM_ATTACHMENT_MAX_BYTES", ATTACHMENT_MAX_BYTES))


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

"""Renditions of release pictures.

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
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from PIL import Image, ImageOps

from core.images import is_quarter_turned, oriented_size, upright

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
        target = rendition_size(spec, *oriented_size(original))
        if original.format in ("JPEG", "MPO"):
            # Decode at a reduced scale when the target is much smaller: same
            # result quality after LANCZOS, a fraction of the memory.  The
            # draft size is in the stored bitmap's axes, before turning.
            w, h = target
            original.draft("RGB", (h, w) if is_quarter_turned(original) else (w, h))
        image = upright(original)
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

"""Renditions of release pictures.

Journalists download the original exactly as uploaded (it is the
high-resolution file, EXIF and all).  Web pages show *renditions*: resized
copies with the EXIF orientation applied and every piece of metadata dropped
(a phone picture's EXIF can carry the GPS position of the photographer).

Renditions are made by the task worker right after an upload
(``releases.tasks.make_renditions``), never in the upload request, and
stored under ``releases/renditions/<image id>/<checksum prefix>/<name>.<ext>``.
The path carries the checksum of the original, so:

* the result is deterministic and idempotent — the same original always maps
  to the same names and the same bytes, and an existing file is reused;
* replacing the picture changes the checksum, hence the path: stale
  renditions can never be served, and the old folder is removed.

Decoding the original is the expensive part (a 40-megapixel PNG is 160 MB
of pixels), so it is done once per upload: the check of the upload decodes
it into a small *working copy* (``core.decoding``: upright, RGB, reduced to
twice the largest rendition), which ``ReleaseImage.save`` stores after
commit as ``<image id>/<checksum prefix>.master.jpg``, beside the renditions'
folder (quality 95, no chroma subsampling: an intermediate, never served).
Every rendition is made from it, in a few megabytes.  A picture stored
before this, or saved without the upload check, gets its master on the
first request of a rendition (one bounded decode).

Why the worker and not the first request: on the development machine a
4000×3000 photo's renditions take about 2 s together (the WebP of the web
size alone 0.8 s), and the first requests for a picture come all at once,
when an embargo lifts.  A rendition still missing when asked for (the
worker is behind, a picture from before this) is made then, once, and kept
on storage (:func:`ensure_rendition`).  Either way the file is served only
through the views that check the release is public: storage is never
public (``releases/views/files.py``).
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

from core.decoding import WorkingCopy, decode_working_copy

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
    # The middle step of ``srcset``: a phone at 2x, a gallery at 1x on a
    # wide screen — without it they load the 1200-pixel picture.
    "medium": RenditionSpec("medium", width=800),
    "web": RenditionSpec("web", width=1200),
    "social": RenditionSpec("social", size=(1200, 630)),
}
#: The widths a browser chooses from (``srcset``), narrowest first.
SRCSET_RENDITIONS = ("thumb", "medium", "web")
#: The stored working copy, beside the renditions (see the module docstring).
#: No rendition may be larger than ``core.decoding.RENDITION_BOX``, which the
#: working copy is made to cover (a test keeps the two in step).
MASTER = "master"
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


def master_path(image_id: int, checksum: str) -> str:
    """``<image id>/<checksum prefix>.master.jpg``: beside the renditions'
    folder of the same original, not in it (that folder holds renditions)."""
    return f"{RENDITION_ROOT}/{image_id}/{checksum[:16]}.{MASTER}.jpg"


def render(source: IO[bytes], spec: RenditionSpec, fmt: str) -> bytes:
    """One rendition straight from an original: one bounded decode."""
    return render_working(decode_working_copy(source), spec, fmt)


def render_working(working: WorkingCopy, spec: RenditionSpec, fmt: str) -> bytes:
    """Encode one rendition of a working copy: resized, metadata-free.

    Its size comes from the original's (``working.size``), so it is exactly
    what templates print.  Only the ICC colour profile is carried over (it
    is colour, not personal data; dropping it would shift the colours of
    Adobe RGB pictures).
    """
    _ext, _content_type, pil_format = FORMATS[fmt]
    target = rendition_size(spec, *working.size)
    image = working.image
    if spec.size:
        image = ImageOps.fit(image, spec.size, Image.Resampling.LANCZOS, centering=(0.5, 0.5))
    elif image.size != target:
        image = image.resize(target, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    options: dict[str, object] = {}
    if working.icc_profile:
        options["icc_profile"] = working.icc_profile
    if pil_format == "JPEG":
        options.update(quality=82, optimize=True, progressive=True)
    else:
        options.update(quality=80, method=4)
    image.save(out, pil_format, **options)
    return out.getvalue()


def encode_master(working: WorkingCopy) -> bytes:
    """The working copy as stored: a near-lossless JPEG with its colour profile."""
    out = io.BytesIO()
    options: dict[str, object] = {"quality": 95, "subsampling": 0}
    if working.icc_profile:
        options["icc_profile"] = working.icc_profile
    working.image.save(out, "JPEG", **options)
    return out.getvalue()


def store_master(image: ReleaseImage, working: WorkingCopy, storage: Storage | None = None) -> str:
    """Save ``working`` as the master of ``image`` (kept if already there)."""
    storage = storage or default_storage
    path = master_path(image.pk, image.checksum)
    if not storage.exists(path):
        _save_once(storage, path, encode_master(working))
    return path


def load_master(image: ReleaseImage, storage: Storage | None = None) -> WorkingCopy:
    """The working copy of ``image``: its stored master, or else one decode
    of the original (stored then, for the next rendition)."""
    storage = storage or default_storage
    try:
        with storage.open(master_path(image.pk, image.checksum), "rb") as handle:
            master = Image.open(handle)
            master.load()
    except FileNotFoundError:
        with image.image.open("rb") as source:
            working = decode_working_copy(source)
        store_master(image, working, storage)
        return working
    size = (image.width or master.width, image.height or master.height)
    return WorkingCopy(master, size, master.info.get("icc_profile"))


def _save_once(storage: Storage, path: str, data: bytes) -> None:
    """Save under ``path``; safe under concurrency.

    Two workers that make the same file at once write identical bytes; the
    loser's copy (saved under a suffixed name by the storage) is deleted.
    """
    saved = storage.save(path, ContentFile(data))
    if saved != path:
        with contextlib.suppress(OSError):
            storage.delete(saved)


def ensure_rendition(
    image: ReleaseImage, name: str, fmt: str = "jpeg", storage: Storage | None = None
) -> str:
    """Storage name of the rendition, made now (from the master) if it does
    not exist yet."""
    storage = storage or default_storage
    if not image.checksum:
        image.refresh_file_facts(save=True)
    path = rendition_path(image.pk, image.checksum, name, fmt)
    if not storage.exists(path):
        _save_once(
            storage, path, render_working(load_master(image, storage), RENDITIONS[name], fmt)
        )
    return path


def generate_renditions(image: ReleaseImage) -> list[str]:
    """Make every rendition of ``image`` now, from one working copy."""
    if not image.checksum:
        image.refresh_file_facts(save=True)
    working: WorkingCopy | None = None
    paths = []
    for name in RENDITIONS:
        for fmt in FORMATS:
            path = rendition_path(image.pk, image.checksum, name, fmt)
            if not default_storage.exists(path):
                working = working or load_master(image)
                _save_once(default_storage, path, render_working(working, RENDITIONS[name], fmt))
            paths.append(path)
    return paths


def delete_renditions(image_id: int, keep_checksum: str = "") -> None:
    """Remove stored renditions (and masters) of an image, except those of
    ``keep_checksum``."""
    root = f"{RENDITION_ROOT}/{image_id}"
    try:
        folders, masters = default_storage.listdir(root)
    except (FileNotFoundError, NotImplementedError):
        return
    for filename in masters:
        if keep_checksum and filename.startswith(f"{keep_checksum[:16]}."):
            continue
        with contextlib.suppress(OSError):
            default_storage.delete(f"{root}/{filename}")
    for folder in folders:
        if keep_checksum and folder == keep_checksum[:16]:
            continue
        _sub, files = default_storage.listdir(f"{root}/{folder}")
        for filename in files:
            with contextlib.suppress(OSError):
                default_storage.delete(f"{root}/{folder}/{filename}")
        with contextlib.suppress(OSError):
            default_storage.delete(f"{root}/{folder}")

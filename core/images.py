"""Image validation shared by logos and release images.

Pillow is asked to really decode the file: a renamed PDF or a truncated JPEG
is refused with a message, and a pixel limit turns a decompression bomb into
an error instead of a worker eating all its memory.

The limits are the settings ``NEWSROOM_IMAGE_MAX_BYTES`` and
``NEWSROOM_IMAGE_MAX_PIXELS``, read at call time, so a deployment can tune
them and a test can lower them without writing 20 MB files.

The EXIF orientation of a picture is read here too, once: the size recorded
for a picture and the renditions made of it must agree on which way is up.
"""

from __future__ import annotations

import contextlib
import uuid
import warnings
from typing import IO, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from PIL import Image, ImageOps

# MPO is how Pillow names the multi-picture JPEGs many cameras write.
ALLOWED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
#: File extension Newsroom stores for each accepted Pillow format.
FORMAT_EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
#: Content-Type served for each stored extension.
EXTENSION_CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
}

# Pillow's own guard (a warning above the limit, an error above twice it) is a
# second line of defence behind the explicit check in validate_image_file.
Image.MAX_IMAGE_PIXELS = settings.NEWSROOM_IMAGE_MAX_PIXELS


def check_file_size(file: IO[bytes], limit: int, what: str, code: str) -> None:
    """Refuse an upload over ``limit`` bytes before anything reads it."""
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            "%(what)s is %(size)s MB; the limit is %(limit)s MB.",
            code=code,
            params={
                "what": what,
                "size": round(size / 1024 / 1024, 1),
                "limit": round(limit / 1024 / 1024, 1),
            },
        )


def max_bytes() -> int:
    """The largest picture accepted, in bytes."""
    return settings.NEWSROOM_IMAGE_MAX_BYTES


def max_pixels() -> int:
    """The most pixels a picture may decode to."""
    return settings.NEWSROOM_IMAGE_MAX_PIXELS


NOT_AN_IMAGE = "This file is not an image Newsroom can read. Upload a JPEG, PNG, WebP or GIF."


def _too_many_pixels(width: int, height: int) -> ValidationError:
    return ValidationError(
        "This image is %(w)s×%(h)s pixels; the limit is %(limit)s megapixels.",
        code="image_too_many_pixels",
        params={"w": width, "h": height, "limit": round(max_pixels() / 1_000_000, 1)},
    )


def validate_image_file(file: File | IO[bytes] | None) -> None:
    """Refuse anything that is not a real, complete, reasonably sized image.

    Three passes, cheapest first: the byte size, then the header (format and
    declared dimensions, checked *before* any pixel is decoded), then a full
    decode.  ``Image.verify`` alone does not notice a truncated JPEG, so the
    last pass really loads the pixels (JPEGs in draft mode at 1/8 scale, which
    still reads every byte of the entropy-coded data but needs 1/64 of the
    memory).
    """
    if file is None:
        return
    check_file_size(file, max_bytes(), "This image", "image_too_large")
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                fmt = image.format
                width, height = image.size
                if width * height > max_pixels():
                    raise _too_many_pixels(width, height)
                if fmt not in ALLOWED_FORMATS:
                    raise ValidationError(
                        "%(fmt)s images are not accepted. Upload a JPEG, PNG, WebP or GIF.",
                        code="image_format",
                        params={"fmt": fmt},
                    )
                image.verify()
            file.seek(0)
            with Image.open(file) as image:
                if image.format in ("JPEG", "MPO"):
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            "This image has too many pixels to be processed safely.",
            code="image_too_many_pixels",
        ) from exc
    except Exception as exc:  # Pillow raises many types for broken files
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from exc
    finally:
        with contextlib.suppress(Exception):  # a closed file cannot seek; nothing to restore
            file.seek(0)


#: The EXIF tag that says how the stored bitmap must be turned to be seen upright.
EXIF_ORIENTATION = 0x0112
#: Orientations that turn the picture a quarter: width and height swap.
_QUARTER_TURNS = frozenset({5, 6, 7, 8})


def is_quarter_turned(image: Image.Image) -> bool:
    """Whether the picture is seen a quarter turned from how it is stored.

    A phone stores a portrait photo as a landscape bitmap plus an EXIF
    orientation tag; viewers (and our renditions) turn it upright.
    """
    return image.getexif().get(EXIF_ORIENTATION, 1) in _QUARTER_TURNS


def oriented_size(image: Image.Image) -> tuple[int, int]:
    """``(width, height)`` as the picture is seen, EXIF orientation applied."""
    width, height = image.size
    return (height, width) if is_quarter_turned(image) else (width, height)


def oriented_file_size(file: IO[bytes]) -> tuple[int, int]:
    """:func:`oriented_size` of a file, read from its header (no pixel is
    decoded); the file's position is restored."""
    file.seek(0)
    try:
        with Image.open(file) as image:
            return oriented_size(image)
    finally:
        file.seek(0)


def upright(image: Image.Image) -> Image.Image:
    """The picture turned as its EXIF orientation says (a copy without the
    tag), so what is stored is what is seen."""
    return ImageOps.exif_transpose(image)


def image_format(file: File | IO[bytes]) -> str | None:
    """The Pillow format name of a file (``"JPEG"``…), or None if unreadable."""
    try:
        file.seek(0)
        with Image.open(file) as image:
            return image.format
    except Exception:
        return None
    finally:
        with contextlib.suppress(Exception):
            file.seek(0)


def detected_type(file: File | IO[bytes]) -> tuple[str, str] | None:
    """``(extension, content type)`` of an accepted image, read from the file's
    header (no pixel is decoded), or None when it is not one.

    The name a file was uploaded or stored under proves nothing: a PNG called
    ``logo.pdf`` served under its name would be sent as ``application/pdf``,
    and an HTML page called ``logo.png`` as a web page.  Whoever stores or
    serves a picture asks this instead.
    """
    ext = FORMAT_EXTENSIONS.get(image_format(file) or "")
    return (ext, EXTENSION_CONTENT_TYPES[ext]) if ext else None


def pending_file(field_file: Any) -> IO[bytes] | None:
    """The upload a model's file field is about to store, or None.

    ``upload_to`` receives only the instance and the uploader's file name; the
    content is the field's uncommitted file (what ``FileField.pre_save``
    stores).
    """
    if field_file and not getattr(field_file, "_committed", True):
        return field_file.file
    return None


def image_upload_name(folder: str, file: File | IO[bytes] | None) -> str:
    """``<folder>/<random>.<extension of the detected format>`` for a new upload.

    For ``upload_to`` callables: the stored name, hence the type any later
    reader derives from it, comes from the content, never from the name the
    uploader chose.  A file that is no accepted image (only possible when
    validation was bypassed) is stored as ``.bin``, served as bytes.
    """
    found = detected_type(file) if file is not None else None
    return f"{folder}/{uuid.uuid4().hex}.{found[0] if found else 'bin'}"


class ValidatedImageField(forms.ImageField):
    """A form ImageField that runs :func:`validate_image_file` first.

    Django's own ``forms.ImageField`` answers every problem — a bomb, a
    20 MB upload, a renamed text file — with one generic sentence; running
    our validator before it gives the editor the specific reason.
    """

    def to_python(self, data: Any) -> Any:
        if data not in self.empty_values and hasattr(data, "read"):
            validate_image_file(data)
        return super().to_python(data)

"""Image validation shared by logos and release images.

Pillow is asked to really decode the file: a renamed PDF or a truncated JPEG
is refused with a message, and a pixel limit turns a decompression bomb into
an error instead of a worker eating all its memory.

The limits are the settings ``NEWSROOM_IMAGE_MAX_BYTES`` and
``NEWSROOM_IMAGE_MAX_PIXELS``, read at call time, so a deployment can tune
them and a test can lower them without writing 20 MB files.  The pixel limit
(40 megapixels by default) is what bounds a worker's memory: the one decode
of a picture (``core.decoding``) costs up to 4 bytes a pixel for a PNG and
6 for a progressive JPEG, so the worst accepted picture stays under 320 MB
of peak memory in a fresh process (``tests/security/test_hostile_files.py``
measures it).  WebP is held to a quarter of it: Pillow's WebP decoder keeps
four full-size canvases.

The decode made to check an upload is kept with the upload (its working
copy, :func:`checked_working_copy`), so the picture is not decoded again to
make its web sizes; and a file already stored is not checked again.

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
from django.db.models.fields.files import FieldFile
from PIL import Image, ImageOps

from core.decoding import (
    EXIF_ORIENTATION,  # noqa: F401 - the tag, for callers of this module
    QUARTER_TURNS,
    WorkingCopy,
    decode_working_copy,
    orientation,
)

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
# second line of defence behind the explicit check in validate_image_file,
# for pictures that were never validated (stored before a limit was lowered).
Image.MAX_IMAGE_PIXELS = settings.NEWSROOM_IMAGE_MAX_PIXELS
#: Formats held to a fraction of the pixel limit, for what their decoder costs:
#: Pillow decodes WebP through libwebp's animation decoder, which keeps four
#: full-size canvases (about 15 bytes a pixel against a PNG's 4).
PIXEL_LIMIT_DIVISORS = {"WEBP": 4}


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


def max_pixels(fmt: str | None = None) -> int:
    """The most pixels a picture (of Pillow format ``fmt``) may decode to."""
    return settings.NEWSROOM_IMAGE_MAX_PIXELS // PIXEL_LIMIT_DIVISORS.get(fmt or "", 1)


NOT_AN_IMAGE = "This file is not an image Newsroom can read. Upload a JPEG, PNG, WebP or GIF."


def _too_many_pixels(width: int, height: int, fmt: str | None) -> ValidationError:
    if fmt in PIXEL_LIMIT_DIVISORS:
        return ValidationError(
            "This %(fmt)s image is %(w)s×%(h)s pixels; the limit for %(fmt)s is %(limit)s "
            "megapixels, as it takes more memory to decode. Save it as JPEG or PNG.",
            code="image_too_many_pixels",
            params={
                "fmt": ALLOWED_FORMATS.get(fmt or "", fmt),
                "w": width,
                "h": height,
                "limit": round(max_pixels(fmt) / 1_000_000, 1),
            },
        )
    return ValidationError(
        "This image is %(w)s×%(h)s pixels; the limit is %(limit)s megapixels.",
        code="image_too_many_pixels",
        params={"w": width, "h": height, "limit": round(max_pixels() / 1_000_000, 1)},
    )


def validate_image_file(file: File | IO[bytes] | None) -> None:
    """Refuse anything that is not a real, complete, reasonably sized image.

    Three passes, cheapest first: the byte size, then the header (format and
    declared dimensions, checked *before* any pixel is decoded), then the one
    decode (``core.decoding``).  ``Image.verify`` alone does not notice a
    truncated JPEG, so the last pass really reads every byte of pixel data —
    JPEGs at a reduced scale, which still reads all of it in a fraction of
    the memory.  That decode's working copy is kept with the upload, for the
    renditions.

    A file already stored (an unchanged picture on a form saved again) was
    checked when it was uploaded, and is not decoded again: editing a caption
    must not cost a decode, nor refuse a picture accepted under a former limit.
    """
    if file is None or _is_stored(file) or checked_working_copy(file) is not None:
        return
    check_file_size(file, max_bytes(), "This image", "image_too_large")
    try:
        file.seek(0)
        with warnings.catch_warnings():
            # Our own limit speaks first, with the numbers; Pillow's error
            # (above twice its limit) still stops a bomb in Image.open.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                fmt = image.format
                width, height = image.size
                if fmt not in ALLOWED_FORMATS:
                    raise ValidationError(
                        "%(fmt)s images are not accepted. Upload a JPEG, PNG, WebP or GIF.",
                        code="image_format",
                        params={"fmt": fmt},
                    )
                if width * height > max_pixels(fmt):
                    raise _too_many_pixels(width, height, fmt)
                image.verify()
        working = decode_working_copy(file)
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            "This image has too many pixels to be processed safely.",
            code="image_too_many_pixels",
        ) from exc
    except Exception as exc:  # Pillow raises many types for broken files
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from exc
    finally:
        with contextlib.suppress(Exception):  # a closed file cannot seek; nothing to restore
            file.seek(0)
    _remember(file, working)


#: Where a checked upload keeps its working copy.
_WORKING_COPY = "_newsroom_working_copy"


def _is_stored(file: Any) -> bool:
    return isinstance(file, FieldFile) and bool(file) and file._committed


def _upload_of(file: Any) -> Any:
    """The upload itself: a model field wraps it in a ``FieldFile``, the form
    hands it bare; both validators must find the same object."""
    if isinstance(file, FieldFile) and file and not file._committed:
        return file.file
    return file


def _remember(file: Any, working: WorkingCopy) -> None:
    with contextlib.suppress(AttributeError):  # an object without attributes: no memo
        setattr(_upload_of(file), _WORKING_COPY, working)


def checked_working_copy(file: Any) -> WorkingCopy | None:
    """The working copy made when ``file`` (an upload, or a model's field
    holding one) passed :func:`validate_image_file`, else None."""
    if file is None or _is_stored(file):
        return None
    return getattr(_upload_of(file), _WORKING_COPY, None)


def is_quarter_turned(image: Image.Image) -> bool:
    """Whether the picture is seen a quarter turned from how it is stored.

    A phone stores a portrait photo as a landscape bitmap plus an EXIF
    orientation tag; viewers (and our renditions) turn it upright.
    """
    return orientation(image) in QUARTER_TURNS


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

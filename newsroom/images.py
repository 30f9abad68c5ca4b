"""Image validation shared by logos and release images.

Pillow is asked to really decode the file: a renamed PDF or a truncated JPEG
is refused with a message, and ``Image.MAX_IMAGE_PIXELS`` turns a
decompression bomb into an error instead of a worker eating all its memory.
"""

from __future__ import annotations

import contextlib

from django.core.exceptions import ValidationError
from django.core.files import File
from PIL import Image

ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 60_000_000

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def validate_image_file(file: File) -> None:
    """Refuse anything that is not a real, reasonably sized image."""
    if file is None:
        return
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            "This image is %(size)s MB; the limit is %(limit)s MB.",
            code="image_too_large",
            params={"size": round(size / 1024 / 1024, 1), "limit": MAX_BYTES // 1024 // 1024},
        )
    try:
        file.seek(0)
        with Image.open(file) as image:
            fmt = image.format
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    "This image is %(w)s×%(h)s pixels; the limit is %(limit)s megapixels.",
                    code="image_too_many_pixels",
                    params={"w": width, "h": height, "limit": MAX_PIXELS // 1_000_000},
                )
            image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            "This image has too many pixels to be processed safely.",
            code="image_too_many_pixels",
        ) from exc
    except Exception as exc:  # Pillow raises many types for broken files
        raise ValidationError(
            "This file is not an image Newsroom can read. Upload a JPEG, PNG, WebP or GIF.",
            code="not_an_image",
        ) from exc
    finally:
        with contextlib.suppress(Exception):  # a closed file cannot seek; nothing to restore
            file.seek(0)
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(
            "%(fmt)s images are not accepted. Upload a JPEG, PNG, WebP or GIF.",
            code="image_format",
            params={"fmt": fmt},
        )

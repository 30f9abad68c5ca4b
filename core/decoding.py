"""One bounded decode of a picture: the working copy every web size is made from.

Decoding is what costs.  A 7,700² PNG of 173 KB decodes to 237 MB, and the
old way of making a rendition (decode in full, turn upright, flatten, resize
with LANCZOS from full size) made several full-size copies on the way: one
rendition peaked at 742 MB, and six were made, one decode each, inside the
upload request.  So a picture is decoded **once**, when it is uploaded and
checked (``core.images.validate_image_file``), into a *working copy*:

* JPEGs are decoded at a reduced scale (``Image.draft``: libjpeg scales by
  1/2, 1/4 or 1/8 while decoding, at a fraction of the memory), never below
  the largest rendition (:data:`RENDITION_BOX`);
* other formats are decoded in full (nothing else is possible) and then
  box-reduced by a whole factor (``Image.reduce``, what Pillow's own
  ``reducing_gap`` does) to no less than twice the largest rendition, so the
  final LANCZOS resize keeps its quality — a horizontal strip at a time,
  flattened on white as it goes, so no second full-size bitmap ever exists;
* the result is turned upright (EXIF orientation) and is RGB.

The working copy holds at most :data:`WORKING_MAX_PIXELS`; its ICC profile
and the original's size as seen travel with it.  ``releases.renditions``
stores it beside the renditions and makes every rendition from it, on first
request.  The only full-size bitmap is the decoder's own, so the pixel limit
(``NEWSROOM_IMAGE_MAX_PIXELS``) bounds a worker's memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import IO

from PIL import Image

#: The EXIF tag that says how the stored bitmap must be turned to be seen upright.
EXIF_ORIENTATION = 0x0112
#: Orientations that turn the picture a quarter: width and height swap.
QUARTER_TURNS = frozenset({5, 6, 7, 8})
#: How to turn a bitmap of each EXIF orientation upright (as ``ImageOps.exif_transpose``).
TRANSPOSITIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

#: The largest rendition, (width, height) as seen: ``releases.renditions``
#: makes nothing larger (a test keeps them in step).  JPEGs are decoded to
#: at least this; other pictures are reduced to no less than twice it.
RENDITION_BOX = (1200, 630)
#: The most pixels a working copy holds (48 MB of RGB).  A picture of
#: ordinary shape is reduced to 3 to 7 megapixels; only a long panorama,
#: which must stay tall enough for the social card's crop, comes near this.
WORKING_MAX_PIXELS = 12_000_000
#: Pixels reduced per strip: a few megabytes of transient copies.
STRIP_PIXELS = 1_000_000


def orientation(image: Image.Image) -> int:
    """The EXIF orientation of an opened picture, read without decoding it.

    Pillow's ``getexif()`` on a PNG without an ``eXIf`` chunk before its
    pixels decodes the whole picture to look for one after them; such a late
    chunk is ignored here (PNG asks for it before the pixels), so reading
    the orientation never costs a decode.
    """
    if image.format == "PNG" and "exif" not in image.info:
        return 1
    return image.getexif().get(EXIF_ORIENTATION, 1)


@dataclass(frozen=True)
class WorkingCopy:
    """A picture decoded once: what renditions are made from."""

    #: RGB, upright, reduced from the original by a whole factor.
    image: Image.Image
    #: The original's size as seen (EXIF orientation applied): renditions are
    #: sized from this, so their sizes match what pages print.
    size: tuple[int, int]
    icc_profile: bytes | None = None


def decode_working_copy(file: IO[bytes]) -> WorkingCopy:
    """Decode ``file`` once, with bounded memory, into a :class:`WorkingCopy`.

    Every byte of pixel data is read (a truncated or corrupt file raises, as
    Pillow does), so this is also the last pass of validation.  The caller
    checks the format and pixel count from the header first.
    """
    file.seek(0)
    with Image.open(file) as image:
        turn = orientation(image)
        turned = turn in QUARTER_TURNS
        width, height = image.size
        seen = (height, width) if turned else (width, height)
        icc_profile = image.info.get("icc_profile")
        box = (RENDITION_BOX[1], RENDITION_BOX[0]) if turned else RENDITION_BOX
        if image.format in ("JPEG", "MPO"):
            image.draft("RGB", box)  # the largest libjpeg scale that still covers the box
        image.load()
        working = reduce_flat(image, reduction_factor(image.size, box))
    transposition = TRANSPOSITIONS.get(turn)
    if transposition is not None:
        working = working.transpose(transposition)
    return WorkingCopy(working, seen, icc_profile)


def reduction_factor(size: tuple[int, int], box: tuple[int, int]) -> int:
    """The largest whole factor that keeps ``size`` at least twice ``box`` in
    both axes, raised until the result holds at most ``WORKING_MAX_PIXELS``."""
    width, height = size
    factor = max(1, min(width // (2 * box[0]), height // (2 * box[1])))
    while math.ceil(width / factor) * math.ceil(height / factor) > WORKING_MAX_PIXELS:
        factor += 1
    return factor


def reduce_flat(image: Image.Image, factor: int) -> Image.Image:
    """``image`` flattened to RGB on white and box-reduced by ``factor``, one
    strip at a time (strips are whole multiples of ``factor`` high, so the
    result is exactly that of reducing the whole at once)."""
    width, height = image.size
    out = Image.new("RGB", (math.ceil(width / factor), math.ceil(height / factor)))
    rows = max(factor, STRIP_PIXELS // max(1, width) // factor * factor)
    for top in range(0, height, rows):
        strip = flatten(image.crop((0, top, width, min(height, top + rows))))
        if factor > 1:
            strip = strip.reduce(factor)
        out.paste(strip, (0, top // factor))
    return out


def flatten(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no alpha, and a transparent logo on black is unreadable."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")

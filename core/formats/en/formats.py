"""English without a region: the same staff formats as British English
(``core/formats/en_GB/formats.py``), so a browser that asks for plain
"en" sees the same dates."""

from core.formats.en_GB.formats import *  # noqa: F403

"""Word documents (.docx) → text, with the guards a zip of XML needs.

A .docx is a zip archive of XML parts, and python-docx unpacks and parses
every part it knows in one go.  So a small file can cost a great deal: a
444 KB document whose ``word/document.xml`` unpacks to 400 MB took a worker
to 870 MB, and a few megabytes of empty paragraphs, or a long merged table
column, keep it busy for minutes.  Before python-docx sees a byte, the
archive is checked in three passes, cheapest first:

1. the zip directory alone (nothing is unpacked): the number of parts, the
   size each part declares, their total, and how much each is compressed.
   ``zipfile`` stops unpacking a part at the size the directory declares (a
   part that lies fails its checksum), so these sizes are a real bound;
2. the XML parts streamed through expat, counting elements (the cost of the
   tree python-docx builds is per element, not per byte) and refusing DTDs;
3. the body's paragraphs and table cells counted before they are read.

The text is read from the parsed body directly, one table cell as it is in
the document (python-docx's ``row.cells`` repeats a merged cell for every
grid column it spans and follows a vertically merged one up row by row,
recursively: a 1,500-row merged column raised ``RecursionError``).

Every limit is far above what a media update needs (its text is bounded by
``importer.reader.MAX_TEXT_CHARS`` anyway); each refusal says which limit.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any
from xml.parsers import expat

from importer.errors import ImportFileError

MB = 1024 * 1024
#: Parts in the archive: a Word file has a few dozen, one per picture more.
DOCX_MAX_PARTS = 1_000
#: What one part may unpack to (a picture is stored about as large as it is).
DOCX_MAX_PART_BYTES = 20 * MB
#: What the whole archive may unpack to.
DOCX_MAX_TOTAL_BYTES = 50 * MB
#: What the XML parts together may unpack to: a document of a million
#: characters of text is about 5 MB of Word XML; Word's styles add 1 MB.
DOCX_MAX_XML_BYTES = 12 * MB
#: How many times a large part may be smaller packed than unpacked.  Word's
#: own parts compress 2 to 35 times, very repetitive text some 80 times; a
#: zip bomb about a thousand times (deflate's ceiling).
DOCX_MAX_RATIO = 200
#: Parts smaller than this are not held to the ratio: they cannot cost much.
DOCX_RATIO_FLOOR = 1 * MB
#: XML elements in all parts together: python-docx keeps a tree of them, and
#: a dense file (``<w:r/>`` six bytes apiece) costs ~300 bytes of memory and
#: tens of microseconds each.  A long media update has tens of thousands.
DOCX_MAX_ELEMENTS = 300_000
#: Paragraphs and table cells read from the body, each one a Python call.
DOCX_MAX_BLOCKS = 20_000

_XML_SUFFIXES = (".xml", ".rels")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes, name: str) -> str:
    """The paragraphs (and table cells) of a Word document in document order,
    one blank line apart; raise ``ImportFileError`` for anything else."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFileError(f"{name}: this is not a Word (.docx) document.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            check_directory(infos, name)
            check_xml_parts(archive, infos, name)
    except ImportFileError:
        raise
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError) as exc:
        raise ImportFileError(f"{name}: the Word document is damaged and cannot be read.") from exc
    import docx  # python-docx; imported here so text imports do not need lxml
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ImportFileError(f"{name}: this is not a Word (.docx) document.") from exc
    except Exception as exc:  # lxml errors on a damaged document part
        raise ImportFileError(f"{name}: the Word document is damaged and cannot be read.") from exc
    try:
        return "\n\n".join(body_blocks(document.element.body, name))
    except ImportFileError:
        raise
    except Exception as exc:  # a body python-docx parsed but that makes no sense
        raise ImportFileError(f"{name}: the Word document is damaged and cannot be read.") from exc


def check_directory(infos: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse from the sizes the zip directory declares, before unpacking."""
    if len(infos) > DOCX_MAX_PARTS:
        raise ImportFileError(
            f"{name}: the Word file holds {len(infos):,} parts; the limit is {DOCX_MAX_PARTS:,}."
        )
    for info in infos:
        if info.file_size > DOCX_MAX_PART_BYTES:
            raise ImportFileError(
                f"{name}: the part {info.filename} unpacks to {_mb(info.file_size)}; "
                f"the limit is {_mb(DOCX_MAX_PART_BYTES)} per part. This is not a "
                "media update; save the text as .txt or a new .docx."
            )
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > DOCX_RATIO_FLOOR and ratio > DOCX_MAX_RATIO:
            raise ImportFileError(
                f"{name}: the part {info.filename} is compressed {ratio:,.0f} times "
                f"(a document at most about {DOCX_MAX_RATIO} times); it is refused "
                "as a zip bomb."
            )
    total = sum(info.file_size for info in infos)
    if total > DOCX_MAX_TOTAL_BYTES:
        raise ImportFileError(
            f"{name}: the Word file unpacks to {_mb(total)}; the limit is "
            f"{_mb(DOCX_MAX_TOTAL_BYTES)}."
        )
    xml = sum(info.file_size for info in infos if info.filename.endswith(_XML_SUFFIXES))
    if xml > DOCX_MAX_XML_BYTES:
        raise ImportFileError(
            f"{name}: the Word file's text and layout unpack to {_mb(xml)}; the limit "
            f"is {_mb(DOCX_MAX_XML_BYTES)}. Split the document."
        )


def check_xml_parts(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str) -> None:
    """Count the elements of every XML part, streaming (constant memory)."""
    count = 0

    def start(_tag: str, _attributes: Any) -> None:
        nonlocal count
        count += 1
        if count > DOCX_MAX_ELEMENTS:
            raise ImportFileError(
                f"{name}: the Word file has more than {DOCX_MAX_ELEMENTS:,} XML elements; "
                "a media update has far fewer. Save the text as .txt or a new .docx."
            )

    def no_dtd(*_args: Any) -> None:
        raise ImportFileError(f"{name}: the Word document is damaged and cannot be read.")

    for info in infos:
        if not info.filename.endswith(_XML_SUFFIXES):
            continue
        parser = expat.ParserCreate()
        parser.StartElementHandler = start
        parser.StartDoctypeDeclHandler = no_dtd
        try:
            with archive.open(info) as part:
                for chunk in iter(lambda part=part: part.read(256 * 1024), b""):
                    parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise ImportFileError(
                f"{name}: the Word document is damaged and cannot be read."
            ) from exc


def body_blocks(body: Any, name: str) -> list[str]:
    """The text of each body paragraph and each table cell, in order.

    Only direct children of the body are read, as python-docx's
    ``iter_inner_content`` does; a cell's text is its paragraphs', one per line.
    """
    paragraphs = body.findall(f"{_W}p")
    cells = body.findall(f"{_W}tbl/{_W}tr/{_W}tc")
    if len(paragraphs) + len(cells) > DOCX_MAX_BLOCKS:
        raise ImportFileError(
            f"{name}: the Word document has {len(paragraphs) + len(cells):,} paragraphs and "
            f"table cells; the limit is {DOCX_MAX_BLOCKS:,}. Split the document."
        )
    blocks: list[str] = []
    for element in body.iterchildren(f"{_W}p", f"{_W}tbl"):
        if element.tag == f"{_W}p":
            blocks.append(element.text)
            continue
        for cell in element.iterfind(f"{_W}tr/{_W}tc"):
            blocks.append("\n".join(p.text for p in cell.iterfind(f"{_W}p")))
    return [block.replace("\v", "\n") for block in blocks]


def _mb(size: int) -> str:
    return f"{size / MB:,.1f} MB"

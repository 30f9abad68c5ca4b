"""Bytes → text.

Offices send whatever their machines produce: UTF-8 with or without a BOM,
Windows-1252 from older Word "Save as text", Word documents.  We try the
encodings in a fixed order and say which one was used, and refuse anything
that is not text with a message staff can act on, before anything is parsed.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from importer.errors import ImportFileError

#: Files larger than this are not media updates (a Word file with pictures
#: is still far below it); refusing early protects memory.
MAX_BYTES = 10 * 1024 * 1024

TEXT_EXTENSIONS = {".txt", ".md", ".markdown", ".text", ""}
WORD_EXTENSIONS = {".docx"}


@dataclass(frozen=True)
class SourceText:
    text: str
    encoding: str  # "utf-8", "utf-8-sig", "windows-1252", "docx"
    filename: str


def read_source(data: bytes, filename: str) -> SourceText:
    """Decode ``data`` (the content of ``filename``) or raise ``ImportFileError``."""
    name = PurePath(filename).name or "file"
    ext = PurePath(name).suffix.lower()
    if not data:
        raise ImportFileError(f"{name}: the file is empty.")
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"{name}: the file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if ext in WORD_EXTENSIONS:
        return SourceText(_read_docx(data, name), "docx", name)
    if ext == ".doc":
        raise ImportFileError(
            f"{name}: old Word .doc files cannot be read; save it as .docx or plain text."
        )
    if ext not in TEXT_EXTENSIONS:
        raise ImportFileError(f"{name}: unsupported file type “{ext}”; use .txt, .md or .docx.")
    text, encoding = decode_text(data, name)
    if not text.strip():
        raise ImportFileError(f"{name}: the file contains only blank space.")
    return SourceText(text, encoding, name)


def decode_text(data: bytes, name: str = "file") -> tuple[str, str]:
    """Return (text, encoding used); refuse binary data and unknown encodings."""
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            f"{name}: this looks like a Word or zip file, not plain text; "
            "give it a .docx name if it is a Word document."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _clean(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"{name}: the UTF-16 text is damaged ({exc.reason}).") from exc
    if b"\x00" in data:
        raise ImportFileError(f"{name}: this is a binary file (it contains NUL bytes), not text.")
    bom = data.startswith(b"\xef\xbb\xbf")
    candidates = ("utf-8-sig",) if bom else ("utf-8", "windows-1252")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise ImportFileError(f"{name}: this is a binary file (control characters), not text.")
        return _clean(text), encoding
    raise ImportFileError(
        f"{name}: unknown text encoding (tried {', '.join(candidates)}); "
        "save the file as UTF-8 and try again."
    )


def _clean(text: str) -> str:
    """Normalise line ends and invisible characters Word leaves behind."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return controls > max(2, len(text) // 200)


def _read_docx(data: bytes, name: str) -> str:
    """Paragraphs (and table cells) of a Word document, one blank line apart."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFileError(f"{name}: this is not a Word (.docx) document.")
    import docx  # python-docx; imported here so text imports do not need lxml
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ImportFileError(f"{name}: this is not a Word (.docx) document.") from exc
    except Exception as exc:  # lxml errors on a damaged document part
        raise ImportFileError(f"{name}: the Word document is damaged and cannot be read.") from exc
    blocks: list[str] = []
    # Document order, so a contacts table stays after the text it ends.
    for item in document.iter_inner_content():
        if hasattr(item, "rows"):
            blocks.extend(cell.text for row in item.rows for cell in row.cells)
        else:
            blocks.append(item.text)
    text = _clean("\n\n".join(block.replace("\v", "\n") for block in blocks))
    if not text.strip():
        raise ImportFileError(f"{name}: the Word document contains no text.")
    return text

"""Bytes → text.

Offices send whatever their machines produce: UTF-8 with or without a BOM,
Windows-1252 from older Word "Save as text", Word documents.  We try the
encodings in a fixed order and say which one was used, and refuse anything
that is not text with a message staff can act on, before anything is parsed.
Word documents are read by ``importer.word``, behind its zip-bomb guards, and
no text longer than ``MAX_TEXT_CHARS`` reaches the parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from importer.errors import ImportFileError
from importer.word import read_docx

#: Files larger than this are not media updates (a Word file with pictures
#: is still far below it); refusing early protects memory.
MAX_BYTES = 10 * 1024 * 1024
#: The most text a file may hold, in characters.  Two hundred long releases
#: (``NEWSROOM_IMPORT_MAX_RELEASES``) of 700 words are about 900,000; the
#: parser takes seconds per million characters and runs in the request, so
#: a longer text is refused before it is parsed.
MAX_TEXT_CHARS = 1_000_000

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
        text = _clean(read_docx(data, name))
        if not text.strip():
            raise ImportFileError(f"{name}: the Word document contains no text.")
        _check_length(text, name)
        return SourceText(text, "docx", name)
    if ext == ".doc":
        raise ImportFileError(
            f"{name}: old Word .doc files cannot be read; save it as .docx or plain text."
        )
    if ext not in TEXT_EXTENSIONS:
        raise ImportFileError(f"{name}: unsupported file type “{ext}”; use .txt, .md or .docx.")
    text, encoding = decode_text(data, name)
    if not text.strip():
        raise ImportFileError(f"{name}: the file contains only blank space.")
    _check_length(text, name)
    return SourceText(text, encoding, name)


def _check_length(text: str, name: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise ImportFileError(
            f"{name}: the text is {len(text):,} characters long; the limit is "
            f"{MAX_TEXT_CHARS:,} characters per file. Split it and import the parts."
        )


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

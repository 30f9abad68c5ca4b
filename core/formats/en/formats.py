"""Staff-facing formats in the house style (:mod:`core.dates`), for the admin's
lists and read-only fields: ``2 Dec 2026, 10:57 PKT``.

Inputs show and read ISO first (``2026-12-02``, ``2026-12-02 14:00``) in
every staff form, the import preview and the embargo field alike: one
format whatever the browser's locale, and one nobody misreads as the 12th
of February.  The day-first British forms are still understood when typed.
"""

from core.dates import DATE_FORMAT, DATETIME_FORMAT

SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %b %Y", "%d %B %Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
]

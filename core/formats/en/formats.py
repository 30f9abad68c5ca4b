"""Staff-facing formats in the house style (:mod:`core.dates`), for the admin's
lists and read-only fields: ``2 Dec 2026, 10:57 PKT``.

Input formats are left as Django's (ISO ``2026-12-02`` first), so a date
typed in a form means the same whatever the browser's locale.
"""

from core.dates import DATE_FORMAT, DATETIME_FORMAT

SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT

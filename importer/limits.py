"""How much one imported file may ask the database to write.

The admin imports in the request — a dry run for the preview, then the real
import on confirm — under gunicorn's timeout (30 s).  Each release, contact
and organisation costs a handful of queries, so a file of 3,000 releases ran
out of time with a 500 and thousands of contacts would too.  A file over a
limit is refused before anything is written, with the limit in the message,
so staff can split it.  The text itself is bounded before parsing
(``importer.reader.MAX_TEXT_CHARS``).

Releases per file are a setting (``NEWSROOM_IMPORT_MAX_RELEASES``); contacts
and organisations are bounded here, generously for any real media update.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

from importer.errors import ImportFileError

if TYPE_CHECKING:
    from importer.parser import ParsedDocument

#: Contact entries in one file: two for each release at the release limit.
MAX_CONTACTS = 400
#: Distinct organisations named in one file.
MAX_ORGANISATIONS = 200


def max_releases() -> int:
    """The most releases one file may hold (read at call time, for tests)."""
    return settings.NEWSROOM_IMPORT_MAX_RELEASES


def check_document(document: ParsedDocument, name: str) -> None:
    """Refuse a parsed file whose import would not fit in a request."""
    releases = len(document.releases)
    if releases > max_releases():
        raise ImportFileError(
            f"{name}: the file holds {releases:,} releases; the limit is "
            f"{max_releases():,} releases per file. Split it and import the parts."
        )
    contacts = sum(len(release.contacts) for release in document.releases)
    if contacts > MAX_CONTACTS:
        raise ImportFileError(
            f"{name}: the file lists {contacts:,} contacts; the limit is {MAX_CONTACTS:,} "
            "contacts per file. Split it and import the parts."
        )
    organisations = len(document.organisations)
    if organisations > MAX_ORGANISATIONS:
        raise ImportFileError(
            f"{name}: the file names {organisations:,} organisations; the limit is "
            f"{MAX_ORGANISATIONS:,} organisations per file. Split it and import the parts."
        )

"""What one import did (or, in a dry run, would do): the writer fills it, the
report prints it, the admin shows it.  A module of its own so that the report
need not import the writer."""

from __future__ import annotations

from dataclasses import dataclass, field

from bulletins.models import Bulletin
from contacts.models import Partnership
from importer.duplicates import Duplicate
from importer.models import ImportRecord
from importer.parser import ParsedDocument, ParsedRelease
from releases.models import PressRelease


@dataclass
class ReleaseOutcome:
    parsed: ParsedRelease
    release: PressRelease | None = None
    issuers: list[str] = field(default_factory=list)
    recognised: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)
    #: Existing releases this one looks like (importer.duplicates).
    duplicates: list[Duplicate] = field(default_factory=list)
    #: Not written because of ``duplicates`` (the default for a likely duplicate).
    skipped: bool = False
    #: Offered in the preview, unticked (importer.suggestions).
    suggested_tags: list[str] = field(default_factory=list)
    suggested_partnerships: list[Partnership] = field(default_factory=list)


@dataclass
class ImportOutcome:
    filename: str
    encoding: str
    sha256: str
    dry_run: bool
    document: ParsedDocument
    source_text: str = ""
    bulletin: Bulletin | None = None
    bulletin_lines: list[str] = field(default_factory=list)
    releases: list[ReleaseOutcome] = field(default_factory=list)
    organisations_created: list[str] = field(default_factory=list)
    organisations_matched: list[str] = field(default_factory=list)
    contacts_created: list[str] = field(default_factory=list)
    contacts_matched: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    record: ImportRecord | None = None
    #: Every release was skipped as a likely duplicate: nothing was written.
    nothing_written: bool = False

    @property
    def written(self) -> list[ReleaseOutcome]:
        return [r for r in self.releases if not r.skipped]

    @property
    def skipped(self) -> list[ReleaseOutcome]:
        return [r for r in self.releases if r.skipped]

    @property
    def summary(self) -> str:
        def count(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        skipped = (
            f" {count(len(self.skipped), 'likely duplicate')} of releases already in the "
            f"newsroom {'would be ' if self.dry_run else ''}skipped;"
            if self.skipped
            else ""
        )
        if self.nothing_written:
            return f"Nothing {'would be ' if self.dry_run else ''}imported:{skipped[:-1]}."
        return (
            f"{count(len(self.written), 'draft release')} "
            f"{'would be created' if self.dry_run else 'created'}"
            f"{' in bulletin “' + self.bulletin.title + '”' if self.bulletin else ''};{skipped} "
            f"organisations: {len(self.organisations_created)} new, "
            f"{len(self.organisations_matched)} matched; "
            f"contacts: {len(self.contacts_created)} new, {len(self.contacts_matched)} matched."
        )

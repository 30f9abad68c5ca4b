"""``manage.py import_releases FILE … [--dry-run] [--organisation SLUG] [--import-duplicates]``

Imports media updates (.txt, .md, .docx) as draft releases.  Each file is
imported in its own transaction; a file already imported (same SHA-256) is
reported and skipped, and so is each release that looks like one already in
the newsroom (the same bulletin as .txt then .docx), unless
``--import-duplicates`` is given.  Files that cannot be imported are listed at the end and
the command exits with an error, after importing the good ones.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contacts.models import Organisation
from core.i18n import language_codes
from importer.errors import AlreadyImportedError, ImportFileError
from importer.report import render_report
from importer.writer import import_bytes


class Command(BaseCommand):
    help = "Import press releases from .txt, .md or .docx media updates as drafts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show the report without writing anything.",
        )
        parser.add_argument(
            "--organisation",
            metavar="SLUG",
            help="Issuing organisation (lead of every release and of the bulletin).",
        )
        parser.add_argument(
            "--language",
            metavar="CODE",
            help="The language of every release (e.g. ur); by default read from the text.",
        )
        parser.add_argument(
            "--import-duplicates",
            action="store_true",
            help="Import releases that look like ones already in the newsroom "
            "(by default they are reported and skipped).",
        )

    def handle(self, *args, **options) -> None:
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation with the slug “{options['organisation']}”.")
        if options["language"] and options["language"] not in language_codes():
            raise CommandError(
                f"Unknown language “{options['language']}”: use one of "
                + ", ".join(language_codes())
                + "."
            )
        failures: list[str] = []
        for name in options["files"]:
            path = Path(name)
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                failures.append(f"{name}: no such file.")
                continue
            except IsADirectoryError:
                failures.append(f"{name}: is a directory, not a file.")
                continue
            except OSError as exc:
                failures.append(f"{name}: cannot be read ({exc.strerror}).")
                continue
            try:
                outcome = import_bytes(
                    data,
                    path.name,
                    organisation=organisation,
                    dry_run=options["dry_run"],
                    force=options["import_duplicates"],
                    language=options["language"],
                )
            except AlreadyImportedError as exc:
                self.stdout.write(self.style.WARNING(str(exc)))
                continue
            except ImportFileError as exc:
                failures.append(str(exc))
                continue
            self.stdout.write(render_report(outcome))
            if outcome.skipped:
                self.stdout.write(
                    self.style.WARNING(
                        f"{path.name}: {len(outcome.skipped)} release(s) skipped as likely "
                        "duplicates (listed above); --import-duplicates imports them anyway."
                    )
                )
        if failures:
            raise CommandError(
                "Not imported (nothing was written for these):\n" + "\n".join(failures)
            )

"""``manage.py restore <folder>``: the restore drill, into a fresh database and storage.

Point ``DATABASE_URL`` (and ``MEDIA_ROOT`` or ``NEWSROOM_S3_BUCKET``/
``NEWSROOM_S3_PREFIX``) at the new, empty places first; the command refuses
to write over anything, and fails unless every table's row count and every
file's checksum match the backup's manifest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from newsroom.backup import BackupError, read_manifest, restore, verify


class Command(BaseCommand):
    help = "Restore a backup into a fresh database and storage, then verify counts and checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="A folder written by `manage.py backup`.")
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="Restore nothing: compare the current database and storage with the backup.",
        )

    def handle(self, *args: Any, folder: Path, verify_only: bool, **options: Any) -> None:
        try:
            report = verify(read_manifest(folder)) if verify_only else restore(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for problem in report.problems:
            self.stderr.write(problem)
        if report.problems:
            raise CommandError(f"{len(report.problems)} differences from the backup.")
        self.stdout.write(
            f"Verified {report.tables} tables ({report.rows} rows) and "
            f"{report.files} files ({report.bytes} bytes) against {folder}: all match."
        )

"""``manage.py backup <folder>``: the database and every stored file, with a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from newsroom.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and every stored file into a new folder, with a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="A new (or empty) folder for the backup.")

    def handle(self, *args: Any, folder: Path, **options: Any) -> None:
        try:
            report = backup(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up {report.tables} tables ({report.rows} rows) and "
            f"{report.files} files ({report.bytes} bytes) to {folder}."
        )

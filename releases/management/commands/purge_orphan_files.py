"""Delete stored pictures and documents that no release row and no revision refers to.

Deleting a picture or document (or replacing its file) keeps the original,
so that recovering the release or restoring a revision brings it back.
Run this now and then (e.g. weekly, from cron) to reclaim the space; run it
with ``--dry-run`` first to see what would go.  A file whose revisions you
want gone for good (a picture uploaded by mistake) is removed once those
revisions are deleted (django-reversion's ``deleterevisions`` command).
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandParser

from releases.orphans import purge_orphan_files


class Command(BaseCommand):
    help = (
        "Delete originals of pictures and documents that no row and no revision refers to, "
        "and renditions of pictures that no longer exist."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted; delete nothing."
        )
        parser.add_argument(
            "--older-than",
            type=float,
            default=24.0,
            metavar="HOURS",
            help="Only files last written this many hours ago or more (default 24; 0: any age). "
            "Protects uploads whose rows are still being saved.",
        )

    def handle(self, *args, **options) -> None:
        hours = max(0.0, options["older_than"])
        dry_run = options["dry_run"]
        names = purge_orphan_files(datetime.timedelta(hours=hours), dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        for name in names:
            self.stdout.write(f"{verb} {name}")
        summary = f"{verb} {len(names)} file(s) that nothing refers to."
        self.stdout.write(self.style.SUCCESS(summary) if not dry_run else summary)

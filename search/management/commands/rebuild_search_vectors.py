"""Rebuild every release's full-text vector (PostgreSQL).

Signals keep vectors current for ordinary saves; run this after writes that
bypass signals (``bulk_create``, ``QuerySet.update``, raw SQL, ``loaddata``).
"""

from django.core.management.base import BaseCommand

from search.vectors import is_postgres, update_search_vectors


class Command(BaseCommand):
    help = "Rebuild the full-text search vector of every press release (PostgreSQL only)."

    def handle(self, *args, **options) -> None:
        if not is_postgres():
            self.stdout.write("Not PostgreSQL: search uses plain matching, nothing to rebuild.")
            return
        count = update_search_vectors()
        self.stdout.write(self.style.SUCCESS(f"Rebuilt the search vector of {count} releases."))

"""Re-apply the newsroom's role groups and permissions (after adding models)."""

from django.apps import apps
from django.core.management.base import BaseCommand

from releases.roles import sync_roles


class Command(BaseCommand):
    help = (
        "Create or update the Writer, Editor, Publisher, Contacts manager and Administrator groups."
    )

    def handle(self, *args, **options) -> None:
        sync_roles(apps)
        self.stdout.write(self.style.SUCCESS("Roles are up to date."))

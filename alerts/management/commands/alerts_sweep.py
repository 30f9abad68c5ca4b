"""``manage.py alerts_sweep``: send whatever should have gone and has not.

Safe to run every minute from cron as well as by the worker: every send is
claimed (at most once per address) and checked against ``published()``.
"""

from django.core.management.base import BaseCommand

from alerts.tasks import run_sweep


class Command(BaseCommand):
    help = "Enqueue unsent alerts and due digests; expire unconfirmed sign-ups."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{run_sweep()}")

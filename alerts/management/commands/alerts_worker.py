"""``manage.py alerts_worker``: book the periodic sweep, then run ``db_worker``.

django-tasks-db's worker runs what is queued; it has no clock of its own.
The sweep books its own next run (``alerts.tasks.schedule_sweep``); this
command makes sure a chain exists when a worker starts (after a crash, say),
then hands over to ``db_worker`` with the options given.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from alerts.tasks import schedule_sweep


class Command(BaseCommand):
    help = "Run a task worker (django-tasks-db) with the alerts' periodic sweep."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", action="store_true")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--reload", action="store_true")

    def handle(self, *args, interval: float, batch: bool, max_tasks, reload: bool, **options):
        schedule_sweep()
        extra = {"max_tasks": max_tasks} if max_tasks else {}
        call_command(
            "db_worker",
            interval=interval,
            batch=batch,
            reload=reload,
            startup_delay=False,
            queue_name="*",
            verbosity=options.get("verbosity", 1),
            **extra,
        )

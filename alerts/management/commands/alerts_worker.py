"""``manage.py alerts_worker``: book the periodic sweep, then run ``db_worker``.

django-tasks-db's worker runs what is queued; it has no clock of its own.
The sweep books its own next run (``alerts.tasks.schedule_sweep``); this
command makes sure a chain exists when a worker starts (after a crash, say),
then hands over to ``db_worker`` with the options given.  Its heartbeat
thread (``alerts.handover.Heartbeat``) keeps the leases of the delivery rows
this process holds for as long as it lives.
"""

import logging
import signal
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, connections

from alerts.handover import Heartbeat
from alerts.tasks import schedule_sweep

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run a task worker (django-tasks-db) with the alerts' periodic sweep."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", action="store_true")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--reload", action="store_true")

    def handle(self, *args, interval: float, batch: bool, max_tasks, reload: bool, **options):
        extra = {"max_tasks": max_tasks} if max_tasks else {}
        delay = 1.0
        heartbeat = Heartbeat()
        heartbeat.start()
        try:
            self.work(interval, batch, reload, extra, options, delay)
        finally:
            heartbeat.stop()

    def work(self, interval, batch, reload, extra, options, delay) -> None:
        while True:
            try:
                schedule_sweep()
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
                return
            except (OperationalError, InterfaceError) as exc:
                # db_worker stops on a database error it does not expect (the
                # primary restarting, a fail-over).  A worker that outlives
                # it needs no supervisor to come back: wait, reconnect, go on.
                # What was claimed is safe (tasks and delivery rows are
                # claimed in the database; the sweep finds what was left).
                logger.warning("database unavailable (%s); worker retries in %.0f s", exc, delay)
                connections.close_all()
                # db_worker's handlers only set a flag its loop reads: while we
                # wait, SIGTERM and Ctrl-C must stop the process as usual.
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                time.sleep(delay)
                delay = min(delay * 2, 30.0)

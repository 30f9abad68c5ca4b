"""Liveness and readiness for load balancers and orchestrators (django-health-check).

* ``/health/live/`` — the process answers: no database, no cache, nothing
  else touched, so a slow database never gets healthy app nodes restarted.
* ``/health/ready/`` — this node can serve: the primary database, each cache, the
  default file storage (a file written, read and deleted: on S3 that proves
  the bucket and the keys), and a worker heartbeat.

The worker heartbeat is the newest task a worker *started* (django-tasks-db's
rows): the alerts' sweep books itself every ``ALERTS_SWEEP_INTERVAL`` seconds,
so a live worker starts one at least that often.  Workers are shared by all
nodes, so a dead worker marks every node unready; set
``NEWSROOM_HEALTH_WORKER_MAX_AGE=0`` to leave it out of readiness (and watch
it in monitoring instead) where that is not wanted.

Both answers are ``Cache-Control: no-store`` (the library adds never-cache
headers; the page cache middleware is told to keep out).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Max
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from core.http import public_cache_exempt


@dataclasses.dataclass
class WorkerHeartbeat(HealthCheck):
    """Some task worker started a task within ``max_age`` seconds."""

    max_age: int = 180

    def run(self) -> None:
        backend = settings.TASKS["default"]["BACKEND"]
        if not backend.startswith("django_tasks_db."):
            return  # another queue has its own monitoring; nothing to read here
        from django_tasks_db.models import DBTaskResult

        try:
            newest = DBTaskResult.objects.aggregate(newest=Max("started_at"))["newest"]
        except DatabaseError as exc:
            raise ServiceUnavailable("task table unreadable") from exc
        if newest is None:
            raise ServiceUnavailable("no worker has ever started a task")
        age = (timezone.now() - newest).total_seconds()
        if age > self.max_age:
            raise ServiceUnavailable(f"newest task started {int(age)} s ago")


def readiness_checks() -> list[Any]:
    """What a node needs to serve: the primary database, each cache, the storage, a worker.

    Replicas are left out on purpose: a lost replica must not take every node
    out of service; whether to read from one is the database router's call.
    """
    checks: list[Any] = [("health_check.checks.Database", {"alias": "default"})]
    checks += [("health_check.checks.Cache", {"alias": alias}) for alias in settings.CACHES]
    checks.append(("health_check.checks.Storage", {"alias": "default"}))
    max_age = settings.NEWSROOM_HEALTH_WORKER_MAX_AGE
    if max_age > 0:
        checks.append((WorkerHeartbeat, {"max_age": max_age}))
    return checks


class ReadinessView(HealthCheckView):
    """The readiness checks, read from settings at each request (tests change them)."""

    def get_checks(self):  # type: ignore[no-untyped-def]
        self.checks = readiness_checks()
        return super().get_checks()


liveness = public_cache_exempt(HealthCheckView.as_view(checks=()))
readiness = public_cache_exempt(ReadinessView.as_view())

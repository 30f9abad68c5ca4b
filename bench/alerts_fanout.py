"""Benchmark: one release's alerts fanned out to many subscribers.

``make bench-alerts`` (or ``.venv/bin/python bench/alerts_fanout.py``) runs
this on PostgreSQL (``BENCH_ALERTS_DATABASE_URL``, default the database
``newsroom_alerts_bench``, created if missing).  It is a measurement, not a
test: nothing here passes or fails.

1. ``BENCH_SUBSCRIBERS`` (default 50,000) confirmed, immediate subscribers
   are written in bulk, following three kinds of list (all releases, one
   organisation, a search), so the audience query has distinct stored
   queries to evaluate, as in life.
2. The publish itself is timed (``workflow.publish``: the transition, its
   audit row, and the one task row the alerts add), once with no subscriber
   and once with all of them: it must not grow with the audience.
3. The audience query is timed, and the rendering of alert e-mails (HTML,
   text, css-inline, signed links) in this process.
4. A real worker (``manage.py alerts_worker``, django-tasks-db) sends the
   alerts to a local SMTP sink (aiosmtpd, counting what arrives); the
   delivery rate and the worker's resident memory are sampled every second.

The figures are printed and written to ``var/bench/alerts_fanout.json``.
"""

from __future__ import annotations

import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
N = int(os.environ.get("BENCH_SUBSCRIBERS", "50000"))
DB_URL = os.environ.get(
    "BENCH_ALERTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_alerts_bench"
)
TIMEOUT = float(os.environ.get("BENCH_ALERTS_TIMEOUT", "3600"))
OUT = ROOT / "var" / "bench"

ENV = {
    "DATABASE_URL": DB_URL,
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "NEWSROOM_SITE_URL": "https://news.example.org",
    "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    "ALERTS_SEND_RATE": "0",  # as fast as the worker can: the figure is the machine's
    "CONN_MAX_AGE": "600",
}


class Sink:
    """An SMTP server that accepts everything and counts it."""

    def __init__(self) -> None:
        self.count = 0
        self.first = self.last = 0.0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            self.count += 1
            self.last = time.monotonic()
            self.first = self.first or self.last
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_database() -> None:
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(DB_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def setup_django() -> None:
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


def reset() -> None:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from alerts import models

    tables = [
        m._meta.db_table
        for m in (
            models.Delivery,
            models.Subscription,
            models.Subscriber,
            models.AlertRun,
            models.Suppression,
            models.StaffNotice,
            DBTaskResult,
        )
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)}")


def make_subscribers(n: int, organisation_slug: str) -> float:
    from django.utils import timezone

    from alerts.models import Subscriber, Subscription
    from alerts.queries import read_query
    from releases.models import PressRelease

    published = PressRelease.objects.published()
    lists = [
        read_query({}, published),
        read_query({"organisation": organisation_slug}, published),
        read_query({"q": "water"}, published),
    ]
    started = time.perf_counter()
    confirmed = timezone.now() - datetime.timedelta(minutes=5)
    for start in range(0, n, 5000):
        people = Subscriber.objects.bulk_create(
            [
                Subscriber(email=f"reader{i:06d}@bench.example.org", confirmed_at=confirmed)
                for i in range(start, min(n, start + 5000))
            ]
        )
        subscriptions = []
        for person in people:
            i = int(person.email[6:12])
            stored = lists[0 if i % 10 < 7 else 1 if i % 10 < 9 else 2]
            subscriptions.append(
                Subscription(
                    subscriber=person,
                    query=stored.params,
                    query_key=stored.key,
                    label=stored.label,
                    confirmed_at=confirmed,
                )
            )
        Subscription.objects.bulk_create(subscriptions)
    return time.perf_counter() - started


def timed_publish(organisation, title: str):
    from django.contrib.auth.models import User

    from releases import workflow
    from releases.models import PressRelease
    from tests.factories import PressReleaseFactory

    boss = User.objects.filter(username="bench-boss").first() or User.objects.create_superuser(
        "bench-boss", "boss@bench.example.org", "x"
    )
    release = PressReleaseFactory(
        title=title,
        slug=f"bench-{uuid.uuid4().hex[:12]}",
        summary="Reservoirs and canals: the water season ahead.",
        status=PressRelease.Status.APPROVED,
        publish_at=None,
        organisations=[organisation],
    )
    started = time.perf_counter()
    workflow.publish(release, boss)
    return release, time.perf_counter() - started


def main() -> None:
    ensure_database()
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from alerts import audience, messages
    from alerts.models import AlertRun, Delivery, Subscriber
    from tests.factories import OrganisationFactory

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    reset()
    from contacts.models import Organisation

    water = Organisation.objects.filter(slug="bench-water").first() or OrganisationFactory(
        name="Ministry of Water (bench)", slug="bench-water"
    )
    results: dict[str, object] = {"subscribers": N, "database": connection.vendor}

    _, results["publish_seconds_no_subscribers"] = timed_publish(water, "Water bench: warm-up")
    reset()
    print(f"Writing {N:,} subscribers in bulk …", flush=True)
    results["bulk_create_seconds"] = round(make_subscribers(N, water.slug), 2)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE alerts_subscriber; ANALYZE alerts_subscription")

    release, results["publish_seconds"] = timed_publish(water, "Water bench: the dams are full")
    started = time.perf_counter()
    size = audience.alert_audience(release).count()
    results["audience_query_seconds"] = round(time.perf_counter() - started, 3)
    results["audience"] = size

    sample = list(Subscriber.objects.order_by("pk")[:2000])
    loaded = messages.load_release(release.pk)
    started = time.perf_counter()
    for person in sample[:500]:
        messages.alert_message(loaded, person, [])  # templates and css-inline each time
    results["rendered_per_second_each_from_templates"] = round(
        500 / (time.perf_counter() - started), 1
    )
    renderer = messages.AlertRenderer(loaded)  # what the worker does
    started = time.perf_counter()
    for person in sample:
        renderer.message(person, [])
    results["rendered_per_second"] = round(len(sample) / (time.perf_counter() - started), 1)

    from aiosmtpd.controller import Controller

    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = {**os.environ, **ENV, "EMAIL_URL": f"smtp://127.0.0.1:{port}"}
    OUT.mkdir(parents=True, exist_ok=True)
    log = (OUT / "alerts_worker.log").open("w")
    worker = subprocess.Popen(
        [PY, "manage.py", "alerts_worker", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    t0 = time.monotonic()
    worker_started_at = timezone.now()
    memory: list[float] = []
    print(f"Worker {worker.pid} sending {size:,} alerts to the sink …", flush=True)
    try:
        while sink.count < size and time.monotonic() - t0 < TIMEOUT:
            time.sleep(1)
            memory.append(round(rss_mb(worker.pid), 1))
            if len(memory) % 15 == 0:
                print(f"  {sink.count:,} delivered, worker {memory[-1]} MB", flush=True)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        controller.stop()
    run = AlertRun.objects.get(release=release)
    statuses = dict(
        Delivery.objects.filter(release=release)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    steady = (sink.last - sink.first) or 1e-9
    results.update(
        {
            "delivered": sink.count,
            "statuses": statuses,
            "first_message_after_worker_start_seconds": round(sink.first - t0, 2),
            "delivered_per_second": round((sink.count - 1) / steady, 1),
            "wall_seconds": round(sink.last - t0, 1),
            "fan_out_rows_seconds": round(
                (run.fanned_out_at - worker_started_at).total_seconds(), 2
            )
            if run.fanned_out_at
            else None,
            "worker_rss_mb": {
                "first": memory[0] if memory else None,
                "max": max(memory) if memory else None,
                "last": memory[-1] if memory else None,
                "quartiles": [memory[len(memory) * q // 4] for q in range(4)] if memory else [],
            },
        }
    )
    results["publish_seconds_no_subscribers"] = round(results["publish_seconds_no_subscribers"], 3)
    results["publish_seconds"] = round(results["publish_seconds"], 3)
    (OUT / "alerts_fanout.json").write_text(json.dumps(results, indent=2, default=str))
    print(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()

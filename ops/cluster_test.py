"""``make cluster-test``: a small cluster on this machine, five faults, and a table.

Why: the newsroom must run as several app nodes and workers on a PostgreSQL
primary with streaming replicas and Redis, and survive their faults without
losing a write or an alert.  This driver proves it on one machine, with the
real engines, and exits non-zero if a "must be 0" figure is not 0.

It starts everything of its own, on free ports under one temporary folder,
and never touches the machine's PostgreSQL (5432) or Redis (6379):

* a PostgreSQL primary (``initdb``, run as the ``postgres`` user, since
  ``initdb`` refuses root) and a streaming replica of it (``pg_basebackup -R``);
* a ``redis-server`` (the shared page cache);
* an SMTP sink (aiosmtpd, in this process, counting every recipient and the
  Message-IDs each one got);
* two gunicorn app nodes (DEBUG off, production settings, the replica
  configured) and two task workers (``manage.py alerts_worker``);
* a bounded load: reader threads (anonymous public pages, round-robin over
  the nodes, failing over on a refused connection) and a staff thread that
  signs in to the admin and saves releases (session and CSRF, as a browser).

Then it injects, one after another: (1) replica replay paused 30 s while a
release is withdrawn, (2) a worker SIGKILLed mid-send of a release's alerts,
(3) the primary restarted, (4) Redis stopped then started, (5) one app node
killed; prints the table and writes it to docs/OPERATIONS-simulation.md.
Fault 2 kills the worker at the worst instant for exactly-once delivery: the
sink has taken one reader's message and holds its answer to the end of data,
so the row is *sending* (handed over, in doubt) when the worker dies.

Environment: ``CLUSTER_PG_BIN`` (default: the newest /usr/lib/postgresql/*/bin),
``CLUSTER_SUBSCRIBERS`` (300), ``CLUSTER_PAUSE_SECONDS`` (30),
``CLUSTER_KEEP=1`` keeps the temporary folder (logs) afterwards.
"""

from __future__ import annotations

import asyncio
import collections
import datetime
import email
import email.policy
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
SUBSCRIBERS = int(os.environ.get("CLUSTER_SUBSCRIBERS", "300"))
PAUSE_SECONDS = float(os.environ.get("CLUSTER_PAUSE_SECONDS", "30"))
MAX_LAG = 5.0  # NEWSROOM_REPLICA_MAX_LAG given to the nodes
STATE_TTL = 1.0  # NEWSROOM_STATE_TTL (the nodes' default)
REPORT = ROOT / "docs" / "OPERATIONS-simulation.md"
SUBSCRIBER_DOMAIN = "readers.cluster.example.org"
STAFF_USER, STAFF_PASSWORD = "cluster-editor", "cluster-editor-password-4c1f"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True, **kwargs)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done


# --- the engines -----------------------------------------------------------------


def pg_bin() -> Path:
    given = os.environ.get("CLUSTER_PG_BIN")
    if given:
        return Path(given)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if not found:
        log("PostgreSQL binaries missing: installing Debian's postgresql")
        run("apt-get", "update", "-qq")
        run("apt-get", "install", "-y", "-qq", "postgresql")
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    return Path(found[-1])


def ensure_redis() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        log("redis-server missing: installing Debian's redis-server")
        run("apt-get", "update", "-qq")
        run("apt-get", "install", "-y", "-qq", "redis-server")
        binary = shutil.which("redis-server")
    return binary


def as_postgres(*args: str) -> list[str]:
    """Run as the postgres user when we are root (initdb refuses root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return list(args)


class Postgres:
    """One PostgreSQL server of ours: a data folder, a port, a log."""

    def __init__(self, bindir: Path, base: Path, name: str) -> None:
        self.bindir, self.name = bindir, name
        # One folder the postgres user owns: data, log and socket.
        home = base / "pg"
        if not home.exists():
            home.mkdir(mode=0o700)
            (home / "sockets").mkdir()
            if os.geteuid() == 0:
                for path in (home, home / "sockets"):
                    shutil.chown(path, "postgres", "postgres")
        self.data = home / name
        self.port = free_port()
        self.logfile = home / f"{name}.log"
        self.sockets = home / "sockets"

    def ctl(self, *args: str) -> None:
        run(*as_postgres(str(self.bindir / "pg_ctl"), "-D", str(self.data), *args))

    def configure(self) -> None:
        conf = self.data / "postgresql.auto.conf"
        with conf.open("a") as f:
            f.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.sockets}'\n"
                "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\n"
                # A simulation of faults, not of disks: a fast restart is a
                # clean shutdown, so fsync adds nothing but time here.
                "fsync = off\nfull_page_writes = off\nmax_connections = 100\n"
            )

    def start(self) -> None:
        self.ctl("-l", str(self.logfile), "-w", "-t", "60", "start")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/newsroom"

    def query(self, sql: str, params: list | None = None, dbname: str = "newsroom"):
        import psycopg

        dsn = f"host=127.0.0.1 port={self.port} user=postgres dbname={dbname} connect_timeout=5"
        with psycopg.connect(dsn, autocommit=True) as conn:
            cursor = conn.execute(sql, params or [])
            return cursor.fetchall() if cursor.description else []


@dataclass
class Node:
    name: str
    port: int
    proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


# --- the SMTP sink ---------------------------------------------------------------


class Sink:
    """Accepts every message and counts it per recipient, with its Message-ID.

    ``hold`` names one recipient whose message is taken and whose answer is
    then held (``holding`` is set meanwhile) until ``release`` is set, or 30 s:
    the instant a worker killed has handed the message over but not heard
    that it went.
    """

    def __init__(self) -> None:
        self.by_rcpt: collections.Counter[str] = collections.Counter()
        self.ids: dict[str, set[str]] = collections.defaultdict(set)
        self.lock = threading.Lock()
        self.hold = ""
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        rcpts = [rcpt.lower() for rcpt in envelope.rcpt_tos]
        with self.lock:
            for rcpt in rcpts:
                self.by_rcpt[rcpt] += 1
                self.ids[rcpt].add(str(parsed["Message-ID"]))
        if self.hold and self.hold in rcpts and not self.release.is_set():
            self.holding.set()
            for _ in range(1500):
                if self.release.is_set():
                    break
                await asyncio.sleep(0.02)
        return "250 OK"

    def alerts(self) -> collections.Counter[str]:
        with self.lock:
            return collections.Counter(
                {k: v for k, v in self.by_rcpt.items() if k.endswith("@" + SUBSCRIBER_DOMAIN)}
            )

    def alert_ids(self) -> dict[str, set[str]]:
        """Recipient → the distinct Message-IDs it got (what a reader sees as e-mails)."""
        with self.lock:
            return {k: set(v) for k, v in self.ids.items() if k.endswith("@" + SUBSCRIBER_DOMAIN)}


# --- the load --------------------------------------------------------------------


@dataclass
class Stats:
    """What the clients saw, per phase."""

    phase: str = "setup"
    counts: dict[str, collections.Counter] = field(
        default_factory=lambda: collections.defaultdict(collections.Counter)
    )
    saves: list[tuple[str, str, str]] = field(default_factory=list)  # (phase, title, outcome)
    hits: list[tuple[float, str]] = field(default_factory=list)  # (time, X-Newsroom-Cache)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, kind: str) -> None:
        with self.lock:
            self.counts[self.phase][kind] += 1


class Load:
    """Bounded client threads: readers and one member of staff."""

    def __init__(self, nodes: list[Node], paths: list[str], stats: Stats) -> None:
        self.nodes, self.paths, self.stats = nodes, paths, stats
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        self.deadline = time.monotonic() + 600  # never runs away, whatever happens
        self.watch: dict[str, str] = {}  # path -> text whose presence is recorded
        self.seen: list[tuple[float, str, bool]] = []

    def start(self, readers: int = 3) -> None:
        for i in range(readers):
            self.threads.append(threading.Thread(target=self.reader, args=(i,), daemon=True))
        self.threads.append(threading.Thread(target=self.staff, daemon=True))
        for t in self.threads:
            t.start()

    def finish(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(30)

    def running(self) -> bool:
        return not self.stop.is_set() and time.monotonic() < self.deadline

    def reader(self, index: int) -> None:
        import requests

        session = requests.Session()
        turn = index
        while self.running():
            template = self.paths[turn % len(self.paths)]
            # "{n}" makes a URL no cache has seen: a real read of a database.
            path = template.format(n=f"{index}-{turn}")
            for attempt in range(len(self.nodes)):
                node = self.nodes[(turn + attempt) % len(self.nodes)]
                try:
                    response = session.get(node.base + path, timeout=10, allow_redirects=False)
                except requests.RequestException:
                    self.stats.count("connection refused/reset (failed over)")
                    continue
                self.record(template, response)
                break
            else:
                self.stats.count("unserved (no node answered)")
            turn += 1
            time.sleep(0.05)

    def record(self, path: str, response) -> None:
        status = response.status_code
        if status == 200:
            self.stats.count("200")
        elif status == 503 and b"Please try again" in response.content:
            self.stats.count("503 try again")
        elif status >= 500:
            self.stats.count(f"{status} error")
        else:
            self.stats.count(str(status))
        cache = response.headers.get("X-Newsroom-Cache")
        if cache:
            with self.stats.lock:
                self.stats.hits.append((time.monotonic(), cache))
        text = self.watch.get(path)
        if text is not None and status == 200:
            with self.stats.lock:
                self.seen.append((time.monotonic(), path, text.encode() in response.content))

    def staff(self) -> None:
        import requests

        node_index, n, session = 0, 0, None
        while self.running():
            node = self.nodes[node_index % len(self.nodes)]
            try:
                if session is None:
                    session = self.login(node)
                n += 1
                title = f"Cluster staff save {n} at {time.time():.3f}"
                outcome = self.save(session, node, title, n)
            except requests.RequestException:
                outcome, title = "no answer (node down)", ""
                node_index += 1
                session = None
            except Exception as exc:  # a login that failed during a fault: try again
                outcome, title = f"error: {exc}"[:80], ""
                session = None
            with self.stats.lock:
                self.stats.saves.append((self.stats.phase, title, outcome))
            time.sleep(0.4)

    def login(self, node: Node):
        import requests

        session = requests.Session()
        page = session.get(node.base + "/admin/login/", timeout=10)
        token = csrf_token(page.text)
        response = session.post(
            node.base + "/admin/login/",
            data={
                "username": STAFF_USER,
                "password": STAFF_PASSWORD,
                "csrfmiddlewaretoken": token,
                "next": "/admin/",
            },
            timeout=10,
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"login answered {response.status_code}")
        return session

    def save(self, session, node: Node, title: str, n: int) -> str:
        add = node.base + "/admin/releases/pressrelease/add/"
        page = session.get(add, timeout=10)
        if page.status_code != 200:
            return classify(page)
        data = {
            name: value
            for name, value in re.findall(
                r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d+)"',
                page.text,
            )
        }
        data.update(
            {
                "csrfmiddlewaretoken": csrf_token(page.text),
                "title": title,
                "slug": f"cluster-staff-save-{n}-{int(time.time() * 1000)}",
                "summary": "Saved by the cluster simulation's staff client.",
                "dateline_place": "Islamabad",
                "dateline_date": "2026-12-02",
                "body": "<p>A draft saved while faults were injected.</p>",
                "tags": "",
                "issuers-TOTAL_FORMS": "1",
                "issuers-INITIAL_FORMS": "0",
                "issuers-0-organisation": self.organisation_id,
                "issuers-0-order": "0",
                "_save": "Save",
            }
        )
        response = session.post(add, data=data, timeout=15, allow_redirects=False)
        if response.status_code == 302 and "/add/" not in response.headers.get("Location", ""):
            return "saved"
        return classify(response)

    organisation_id = ""


def classify(response) -> str:
    if response.status_code == 503 and b"Please try again" in response.content:
        return "503 try again"
    return f"{response.status_code} error"


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


# --- the simulation --------------------------------------------------------------


class Cluster:
    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="newsroom-cluster-"))
        os.chmod(self.base, 0o755)  # noqa: S103 - the postgres user must enter it
        self.bindir = pg_bin()
        self.redis_bin = ensure_redis()
        self.primary = Postgres(self.bindir, self.base, "primary")
        self.replica = Postgres(self.bindir, self.base, "replica")
        self.redis_port = free_port()
        self.redis: subprocess.Popen | None = None
        self.smtp_port = free_port()
        self.nodes = [Node("node-a", free_port()), Node("node-b", free_port())]
        self.workers: list[subprocess.Popen] = []
        self.sink = Sink()
        self.controller = None
        self.stats = Stats()
        self.results: dict[str, object] = {}
        self.failures: list[str] = []
        self.replica_commits: dict[str, int] = {}
        self.replica_mark = 0

    # environment ---------------------------------------------------------------
    def env(self, replica: bool = True) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DATABASE", "REDIS", "NEWSROOM_", "PYTEST"))
        }
        env.update(
            {
                "DEBUG": "0",
                "SECRET_KEY": "cluster-simulation-secret-" + "k" * 40,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SECURE_SSL_REDIRECT": "0",
                "SESSION_COOKIE_SECURE": "0",
                "CSRF_COOKIE_SECURE": "0",
                "DATABASE_URL": self.primary.url,
                "CONN_MAX_AGE": "60",
                "STATIC_ROOT": str(self.base / "static"),
                "MEDIA_ROOT": str(self.base / "media"),
                "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
                "NEWSROOM_SITE_URL": "https://news.example.org",
                "ALERTS_SWEEP_INTERVAL": "3",
                "ALERTS_SEND_RATE": "20",
                # A killed worker's claims come back after 5 s (its heartbeat
                # renews them while it lives): the run is short.
                "ALERTS_CLAIM_LEASE_SECONDS": "5",
                "NEWSROOM_REPLICA_MAX_LAG": str(MAX_LAG),
                "NEWSROOM_CACHE_RETRY_SECONDS": "2",
                "PYTHONUNBUFFERED": "1",
            }
        )
        if replica:
            env["DATABASE_REPLICA_URLS"] = self.replica.url
            env["REDIS_URL"] = f"redis://127.0.0.1:{self.redis_port}/0"
        return env

    # start-up ------------------------------------------------------------------
    def start_databases(self) -> None:
        log(f"initdb primary (port {self.primary.port}) with {self.bindir}")
        run(
            *as_postgres(
                str(self.bindir / "initdb"), "-D", str(self.primary.data), "-U", "postgres",
                "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
            )
        )  # fmt: skip
        self.primary.configure()
        self.primary.start()
        self.primary.query("CREATE DATABASE newsroom", dbname="postgres")
        log(f"pg_basebackup -R: streaming replica (port {self.replica.port})")
        run(
            *as_postgres(
                str(self.bindir / "pg_basebackup"), "-h", "127.0.0.1",
                "-p", str(self.primary.port), "-U", "postgres", "-D", str(self.replica.data),
                "-R", "-X", "stream", "-c", "fast",
            )
        )  # fmt: skip
        with (self.replica.data / "postgresql.auto.conf").open("a") as f:
            # Without feedback, replaying the primary's vacuum cancels the
            # replica's running queries ("conflict with recovery").
            f.write(f"port = {self.replica.port}\nhot_standby_feedback = on\n")
        self.replica.start()
        standby = self.replica.query("SELECT pg_is_in_recovery()")[0][0]
        if not standby:
            raise RuntimeError("the replica is not in recovery: not a standby")

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(  # noqa: S603
            [
                self.redis_bin, "--port", str(self.redis_port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.base),
            ],
            stdout=(self.base / "redis.log").open("a"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_port(self.redis_port, 20)

    def start_smtp(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.smtp_port)
        self.controller.start()

    def setup_django(self) -> None:
        import logging

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's chatter
        os.environ.update(self.env(replica=False))
        os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        log("migrate and collectstatic")
        call_command("migrate", "--noinput", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)

    def seed(self) -> None:
        from django.contrib.auth.models import User
        from django.utils import timezone

        from alerts.models import Subscriber, Subscription
        from alerts.queries import read_query
        from releases.models import PressRelease
        from tests.factories import OrganisationFactory, PressReleaseFactory

        self.staff = User.objects.create_superuser(
            STAFF_USER, "editor@staff.cluster.example.org", STAFF_PASSWORD
        )
        self.organisation = OrganisationFactory(name="Cluster Test Authority", slug="cluster")
        Load.organisation_id = str(self.organisation.pk)
        hour = datetime.timedelta(hours=1)
        self.releases = [
            PressReleaseFactory(
                title=f"Cluster release {i}: rivers and roads",
                slug=f"cluster-release-{i}",
                publish_at=timezone.now() - (i + 2) * hour,
                organisations=[self.organisation],
            )
            for i in range(12)
        ]
        confirmed = timezone.now() - datetime.timedelta(minutes=5)
        stored = read_query({}, PressRelease.objects.published())
        people = Subscriber.objects.bulk_create(
            Subscriber(email=f"reader{i:04d}@{SUBSCRIBER_DOMAIN}", confirmed_at=confirmed)
            for i in range(SUBSCRIBERS)
        )
        Subscription.objects.bulk_create(
            Subscription(
                subscriber=p,
                query=stored.params,
                query_key=stored.key,
                label=stored.label,
                confirmed_at=confirmed,
            )
            for p in people
        )

    def start_node(self, node: Node) -> None:
        env = {
            **self.env(),
            "GUNICORN_BIND": f"127.0.0.1:{node.port}",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_THREADS": "2",
        }
        node.proc = subprocess.Popen(  # noqa: S603
            [
                GUNICORN,
                "-c",
                "gunicorn.conf.py",
                "--no-control-socket",
                "newsroom.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=(self.base / f"{node.name}.log").open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_worker(self, index: int) -> subprocess.Popen:
        proc = subprocess.Popen(  # noqa: S603
            [PY, "manage.py", "alerts_worker", "--interval", "0.2"],
            cwd=ROOT,
            env=self.env(),
            stdout=(self.base / f"worker-{index}.log").open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return proc

    # the faults ----------------------------------------------------------------
    def phase(self, name: str) -> None:
        self.replica_commits[self.stats.phase] = self.replica_reads() - self.replica_mark
        self.replica_mark = self.replica_reads()
        self.stats.phase = name
        log(f"== {name}")

    def fault_replica_pause(self, load: Load) -> None:
        from django.db import connections

        from releases import workflow

        self.phase("1 replica paused, withdrawal")
        target = self.releases[0]
        load.watch = {path: target.title for path in load.paths}
        time.sleep(2)
        seen_before = [s for s in load.seen if s[2]]
        self.replica.query("SELECT pg_wal_replay_pause()")
        time.sleep(1)
        connections.close_all()
        workflow.withdraw(target, self.staff, explanation="Withdrawn by the cluster simulation.")
        withdrawn_at = time.monotonic()
        log(f"withdrew {target.title!r} while the replica's replay is paused")
        # Past the lag bound, the replica is read by no page: only the nodes'
        # lag checks (about one a second per process) still reach it.
        time.sleep(MAX_LAG + 3)
        mark, mark_at = self.replica_reads(), time.monotonic()
        time.sleep(max(1.0, PAUSE_SECONDS - MAX_LAG - 4))
        paused_rate = (self.replica_reads() - mark) / (time.monotonic() - mark_at)
        time.sleep(1)
        lag = self.replica.query(
            "SELECT EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())"
        )[0][0]
        replica_has = self.replica.query(
            "SELECT status FROM releases_pressrelease WHERE id = %s", [target.pk]
        )[0][0]
        self.resume_replay()
        after = [s for s in load.seen if s[0] > withdrawn_at]
        shown_after = [s[0] - withdrawn_at for s in after if s[2]]
        visible_for = max(shown_after) if shown_after else 0.0
        bound = MAX_LAG + 1.0
        self.results["withdrawal"] = {
            "reads_before_showing_it": len(seen_before),
            "reads_after": len(after),
            "reads_after_still_showing": len(shown_after),
            "visible_after_withdrawal_s": round(visible_for, 2),
            "bound_s": bound,
            "replica_lag_at_end_of_pause_s": round(float(lag or 0), 1),
            "replica_status_during_pause": replica_has,
            "replica_tx_per_s_paused": round(paused_rate, 1),
        }
        log(f"withdrawal: {self.results['withdrawal']}")
        if not seen_before or not after:
            self.failures.append("withdrawal: the readers did not watch the lists")
        baseline_rate = float(self.results.get("baseline_tx_per_s") or 0)
        if baseline_rate >= 10 and paused_rate > baseline_rate / 2:
            self.failures.append(
                f"lag bound: the paused replica still ran {paused_rate:.0f} tx/s "
                f"(baseline {baseline_rate:.0f})"
            )
        if visible_for > bound:
            self.failures.append(f"withdrawal visible {visible_for:.1f} s > bound {bound} s")
        load.watch = {}

    def resume_replay(self) -> None:
        """Resume the replica's replay, and make sure it did."""
        for _ in range(20):
            try:
                self.replica.query("SELECT pg_wal_replay_resume()")
                state = self.replica.query("SELECT pg_get_wal_replay_pause_state()")[0][0]
                if state == "not paused":
                    return
            except Exception as exc:
                log(f"resume: {exc}")
            time.sleep(0.5)
        raise RuntimeError("the replica's replay could not be resumed")

    def fault_worker_kill(self) -> None:
        from django.db import connections

        from alerts.models import Delivery
        from releases import workflow
        from releases.models import PressRelease
        from tests.factories import PressReleaseFactory

        self.phase("2 worker killed mid-send")
        connections.close_all()
        release = PressReleaseFactory(
            title="Cluster alert: the bridge reopens",
            slug="cluster-alert-bridge",
            status=PressRelease.Status.APPROVED,
            publish_at=None,
            organisations=[self.organisation],
        )
        # The worst instant: a reader a quarter of the way down the list has
        # its message taken by the sink, whose answer is held; the worker
        # that handed it over is killed while it waits for that answer.
        victim_address = f"reader{SUBSCRIBERS // 4:04d}@{SUBSCRIBER_DOMAIN}"
        self.sink.hold = victim_address
        before = self.sink.alerts()
        workflow.publish(release, self.staff)
        victim_pid, held = None, self.sink.holding.wait(60)
        deadline = time.monotonic() + 10
        while held and victim_pid is None and time.monotonic() < deadline:
            connections.close_all()
            row = Delivery.objects.filter(
                release=release,
                subscriber__email=victim_address,
                status=Delivery.Status.SENDING,
            ).first()
            if row is not None:
                victim_pid = int(row.claimed_by.split(":")[1])  # host:pid:nonce
            else:
                time.sleep(0.05)
        victim = next((w for w in self.workers if w.pid == victim_pid), None)
        if victim is None:
            self.sink.release.set()
            self.failures.append("worker kill: no worker was caught handing over the message")
            return
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
        self.sink.release.set()  # the sink has the message; the worker never heard so
        killed_at = time.monotonic()
        log(f"SIGKILLed worker {victim_pid} after {sum((self.sink.alerts() - before).values())}")
        self.workers[self.workers.index(victim)] = self.start_worker(len(self.workers) + 1)
        # The sweep (every 3 s) enqueues the unfinished release again and, once
        # the killed worker's lease (5 s) has run out, takes its rows back: a
        # claim never handed over is queued again, the row in doubt is sent
        # again with the same Message-ID.
        settled_at = None
        waiting = [Delivery.Status.QUEUED, Delivery.Status.CLAIMED, Delivery.Status.SENDING]
        while time.monotonic() - killed_at < 120:
            connections.close_all()
            left = Delivery.objects.filter(release=release, status__in=waiting).count()
            total = Delivery.objects.filter(release=release).count()
            if total >= SUBSCRIBERS and left == 0:
                settled_at = time.monotonic()
                break
            time.sleep(0.5)
        time.sleep(2)  # the last SMTP exchanges
        got = self.sink.alerts() - before
        ids = self.sink.alert_ids()
        statuses = collections.Counter(
            Delivery.objects.filter(release=release).values_list("status", flat=True)
        )
        doubtful = Delivery.objects.filter(release=release, in_doubt__gt=0).count()
        everyone = {f"reader{i:04d}@{SUBSCRIBER_DOMAIN}" for i in range(SUBSCRIBERS)}
        # A duplicate is a reader with two different e-mails (Message-IDs);
        # a copy re-sent after an in-doubt hand-over repeats its Message-ID.
        duplicates = sum(1 for k in got if len(ids.get(k, ())) > 1)
        missing = sorted(everyone - set(got))
        self.results["alerts"] = {
            "subscribers": SUBSCRIBERS,
            "delivered_once": sum(1 for k in everyone if len(ids.get(k, ())) == 1),
            "duplicates": duplicates,
            "missing": len(missing),
            "copies_resent_same_id": sum(v - 1 for v in got.values()),
            "in_doubt_rows": doubtful,
            "victim_copies": got.get(victim_address, 0),
            "statuses": dict(statuses),
            "recovered_s": round(settled_at - killed_at, 1) if settled_at else None,
        }
        log(f"alerts: {self.results['alerts']}")
        if duplicates:
            self.failures.append(f"alerts: {duplicates} duplicates")
        if missing:
            self.failures.append(f"alerts: {len(missing)} missing, e.g. {missing[:3]}")
        if settled_at is None:
            self.failures.append("alerts: the queue did not drain after the kill")

    def fault_primary_restart(self) -> None:
        self.phase("3 primary restarted")
        time.sleep(2)
        restart_at = time.monotonic()
        self.primary.ctl("-m", "fast", "-l", str(self.primary.logfile), "-w", "-t", "60", "restart")
        log(f"primary restarted in {time.monotonic() - restart_at:.1f} s")
        recovered = None
        while time.monotonic() - restart_at < 60:
            with self.stats.lock:
                saved = [s for s in self.stats.saves if s[0] == self.stats.phase]
            if saved and saved[-1][2] == "saved":
                recovered = time.monotonic() - restart_at
                break
            time.sleep(0.2)
        time.sleep(3)
        self.results["primary_recovered_s"] = round(recovered, 1) if recovered else None
        if recovered is None:
            self.failures.append("primary restart: staff saves did not recover")

    def fault_redis(self) -> None:
        self.phase("4a Redis stopped")
        self.redis.terminate()
        self.redis.wait(10)
        time.sleep(8)
        self.phase("4b Redis started again")
        started_at = time.monotonic()
        self.start_redis()
        back = None
        while time.monotonic() - started_at < 30:
            with self.stats.lock:
                hit = [t for t, kind in self.stats.hits if t > started_at and kind == "hit"]
            if hit:
                back = hit[0] - started_at
                break
            time.sleep(0.2)
        self.results["redis_used_again_after_s"] = round(back, 1) if back is not None else None
        if back is None:
            self.failures.append("Redis: the page cache was not used again after the restart")

    def fault_node_kill(self) -> None:
        self.phase("5 node-b killed")
        node = self.nodes[1]
        os.killpg(node.proc.pid, signal.SIGKILL)
        node.proc.wait(10)
        time.sleep(8)

    # the run -------------------------------------------------------------------
    def main(self) -> int:
        started = time.monotonic()
        try:
            self.start_databases()
            self.start_redis()
            self.start_smtp()
            self.setup_django()
            self.seed()
            for node in self.nodes:
                self.start_node(node)
            self.workers = [self.start_worker(1), self.start_worker(2)]
            for node in self.nodes:
                wait_port(node.port, 60)
            paths = ["/", "/releases/", "/search/?q=rivers&v={n}", "/releases/?q=roads&v={n}"]
            paths = [p for p in paths if self.probe(p.format(n="probe"))] or ["/"]
            log(f"readers read {paths}")
            load = Load(self.nodes, paths, self.stats)
            self.replica_mark = self.replica_reads()
            self.phase("0 baseline")
            load.start()
            time.sleep(8)
            baseline = self.replica_reads() - self.replica_mark
            self.results["baseline_tx_per_s"] = round(baseline / 8, 1)
            for fault in (
                lambda: self.fault_replica_pause(load),
                self.fault_worker_kill,
                self.fault_primary_restart,
                self.fault_redis,
                self.fault_node_kill,
            ):
                try:
                    fault()
                except Exception:
                    traceback.print_exc()
                    self.failures.append(f"{self.stats.phase}: the driver failed (see above)")
            load.finish()
            self.phase("end")
            self.check_writes()
            self.check_workers()
        except Exception:
            traceback.print_exc()
            self.failures.append("the simulation could not run (see above)")
        finally:
            self.results["wall_s"] = round(time.monotonic() - started, 1)
            self.stop_all()
        self.report()
        return 1 if self.failures else 0

    def probe(self, path: str) -> bool:
        import requests

        try:
            return requests.get(self.nodes[0].base + path, timeout=15).status_code == 200
        except requests.RequestException:
            return False

    def replica_reads(self) -> int:
        """Transactions the replica has run (each autocommit read is one)."""
        try:
            rows = self.replica.query(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = 'newsroom'"
            )
        except Exception:
            return self.replica_mark
        return int(rows[0][0]) if rows else 0

    def check_writes(self) -> None:
        saved = [title for _, title, outcome in self.stats.saves if outcome == "saved"]
        present = {
            row[0]
            for row in self.primary.query(
                "SELECT title FROM releases_pressrelease WHERE title LIKE 'Cluster staff save %%'"
            )
        }
        lost = [t for t in saved if t not in present]
        self.results["saves_reported_saved"] = len(saved)
        self.results["lost_writes"] = len(lost)
        if lost:
            self.failures.append(f"lost writes: {lost[:5]}")
        replica_titles = {
            row[0]
            for row in self.replica.query(
                "SELECT title FROM releases_pressrelease WHERE title LIKE 'Cluster staff save %%'"
            )
        }
        self.results["replica_has_every_saved_title"] = set(saved) <= replica_titles

    def check_workers(self) -> None:
        alive = sum(1 for w in self.workers if w.poll() is None)
        self.results["workers_alive_at_end"] = alive
        if alive != len(self.workers):
            self.failures.append(f"workers: {len(self.workers) - alive} died during the faults")

    def stop_all(self) -> None:
        for node in self.nodes:
            if node.proc and node.proc.poll() is None:
                os.killpg(node.proc.pid, signal.SIGTERM)
        for worker in self.workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
        for proc in [n.proc for n in self.nodes if n.proc] + self.workers:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        if self.redis and self.redis.poll() is None:
            self.redis.terminate()
            self.redis.wait(10)
        if self.controller:
            self.controller.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may never have been set up
            pass
        for pg in (self.replica, self.primary):
            if (pg.data / "postmaster.pid").exists():
                try:
                    pg.ctl("-m", "immediate", "-w", "stop")
                except RuntimeError as exc:
                    log(f"could not stop {pg.name}: {exc}")
        if os.environ.get("CLUSTER_KEEP") == "1":
            log(f"kept {self.base}")
        else:
            shutil.rmtree(self.base, ignore_errors=True)

    # the table -----------------------------------------------------------------
    def report(self) -> None:
        kinds = sorted({k for c in self.stats.counts.values() for k in c})
        saves = collections.defaultdict(collections.Counter)
        for phase, _, outcome in self.stats.saves:
            saves[phase][outcome] += 1
        lines = ["| phase | reads | " + " | ".join(kinds) + " | staff saves |"]
        lines.append("|" + " --- |" * (len(kinds) + 3))
        for phase in sorted(set(self.stats.counts) | set(saves)):
            c = self.stats.counts[phase]
            s = ", ".join(f"{k}: {v}" for k, v in sorted(saves[phase].items())) or "-"
            cells = " | ".join(str(c.get(k, 0)) for k in kinds)
            lines.append(f"| {phase} | {sum(c.values())} | {cells} | {s} |")
        alerts = self.results.get("alerts", {})
        withdrawal = self.results.get("withdrawal", {})
        must = [
            ("lost writes (saves reported saved, missing after)", self.results.get("lost_writes")),
            ("duplicate alerts (two Message-IDs for one reader)", alerts.get("duplicates")),
            ("missing alerts (in-doubt rows included)", alerts.get("missing")),
            (
                "HTTP 500 answers",
                sum(c.get("500 error", 0) for c in self.stats.counts.values())
                + sum(s.get("500 error", 0) for s in saves.values()),
            ),
            (
                "reads no node answered",
                sum(c.get("unserved (no node answered)", 0) for c in self.stats.counts.values()),
            ),
        ]
        other = [
            ("replica transactions by phase (reads it served, and lag checks)",
             ", ".join(f"{k.split()[0]}: {v}" for k, v in self.replica_commits.items()
                       if k not in ("setup", "end"))),
            ("withdrawn release still shown after the withdrawal (s)",
             f"{withdrawal.get('visible_after_withdrawal_s')} (bound {withdrawal.get('bound_s')})"),
            ("replica lag at the end of the pause (s)",
             withdrawal.get("replica_lag_at_end_of_pause_s")),
            ("replica transactions a second: baseline / paused past the lag bound",
             f"{self.results.get('baseline_tx_per_s')} / "
             f"{withdrawal.get('replica_tx_per_s_paused')}"),
            ("the release's status on the paused replica (stale on purpose)",
             withdrawal.get("replica_status_during_pause")),
            ("alerts delivered exactly once (one Message-ID per reader)",
             f"{alerts.get('delivered_once')} of {SUBSCRIBERS}"),
            ("alert rows in doubt at the kill, sent again (same Message-ID)",
             alerts.get("in_doubt_rows")),
            ("copies on the wire beyond one per reader (all repeat a Message-ID)",
             alerts.get("copies_resent_same_id")),
            ("alerts: kill to queue drained (s)", alerts.get("recovered_s")),
            ("primary restart: to the next successful save (s)",
             self.results.get("primary_recovered_s")),
            ("Redis back: to the first cache hit (s)",
             self.results.get("redis_used_again_after_s")),
            ("staff saves reported saved", self.results.get("saves_reported_saved")),
            ("replica has every saved title at the end",
             self.results.get("replica_has_every_saved_title")),
            ("workers alive at the end", self.results.get("workers_alive_at_end")),
            ("wall time (s)", self.results.get("wall_s")),
        ]  # fmt: skip
        summary = ["| figure | value |", "| --- | --- |"]
        summary += [f"| **{name}** (must be 0) | {value} |" for name, value in must]
        summary += [f"| {name} | {value} |" for name, value in other]
        for name, value in must:
            if value not in (0, None):
                self.failures.append(f"{name}: {value}")
        if any(value is None for _, value in must[:3]):
            self.failures.append("a must-be-0 figure was not measured")
        verdict = "PASSED" if not self.failures else "FAILED: " + "; ".join(self.failures)
        table = "\n".join(lines) + "\n\n" + "\n".join(summary) + f"\n\n**{verdict}**\n"
        print("\n" + table, flush=True)
        write_report(table, self)


def write_report(table: str, cluster: Cluster) -> None:
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    marker = "<!-- cluster-test results -->"
    head = text.split(marker)[0] if marker in text else text
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    REPORT.write_text(
        head.rstrip() + f"\n\n{marker}\n## The last run ({stamp})\n\n" + table,
        encoding="utf-8",
    )


if __name__ == "__main__":
    sys.exit(Cluster().main())

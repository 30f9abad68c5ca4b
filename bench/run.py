"""Benchmark: Newsroom's public pages against the framework floor.

``make bench`` runs this.  It loads an archive of ``BENCH_RELEASES``
(default 100,000) releases into PostgreSQL, serves the app with gunicorn (2
workers, DEBUG off, the production middleware) on localhost, and drives each
page with wrk.  Every figure is printed next to a minimal Django view served
by the same process and middleware — the floor — so the ratio says how much
the page itself costs, whatever the machine.

It prints, per page: requests/s, p50/p95/p99 latency, the ratio to the
floor, and the SQL queries the page runs; then the same with conditional GET
(If-None-Match → 304); then a worker's memory before and after 10,000
requests.  Results are also written to ``var/bench/results.json``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("BENCH_PORT", "8400"))
BASE = f"http://127.0.0.1:{PORT}"
N_RELEASES = int(os.environ.get("BENCH_RELEASES", "100000"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "8")
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench")
OUT = ROOT / "var" / "bench"
#: Comma-separated parts of page labels to measure (the floor always is):
#: ``BENCH_ONLY=search,feed`` re-measures one lever without the whole table.
ONLY = [part.strip() for part in os.environ.get("BENCH_ONLY", "").split(",") if part.strip()]
#: Skip the admin timings and the 10,000-request memory check.
QUICK = bool(os.environ.get("BENCH_QUICK"))

ENV = {
    **os.environ,
    "DATABASE_URL": DB_URL,
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "NEWSROOM_BENCH_FLOOR": "1",
    "WEB_CONCURRENCY": os.environ.get("BENCH_WORKERS", "2"),
    "GUNICORN_BIND": f"127.0.0.1:{PORT}",
    "GUNICORN_ACCESSLOG": "",
    "CONN_MAX_AGE": "600",
    # No worker recycling during a 10-second run: a recycled worker re-imports
    # Django and loses its in-process memo (the remembered facet counts),
    # which measures restarts, not pages.  Production keeps recycling on.
    "GUNICORN_MAX_REQUESTS": "0",
}


def manage(*args: str, quiet: bool = False) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=ENV, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    if not quiet:
        sys.stdout.write(result.stdout)
    return result.stdout


def ensure_database() -> None:
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    admin_url = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def shell(code: str) -> str:
    return manage("shell", "--no-imports", "-c", code, quiet=True).strip()


def load_archive() -> None:
    manage("migrate", "--noinput", quiet=True)
    have = int(shell("from releases.models import PressRelease as P; print(P.objects.count())"))
    if have < N_RELEASES:
        print(f"Loading {N_RELEASES - have} releases (have {have}) …", flush=True)
        manage("generate_releases", "--count", str(N_RELEASES - have), "--batch-size", "2000")
    manage("collectstatic", "--noinput", quiet=True)
    shell("from django.db import connection as c; c.cursor().execute('VACUUM ANALYZE')")


def pick_urls() -> list[tuple[str, str]]:
    facts = json.loads(
        shell(
            "import json\n"
            "from releases.models import PressRelease as P\n"
            "from contacts.models import Organisation as O\n"
            "r = P.objects.published().order_by('-publish_at')\n"
            "r = r.values_list('slug', flat=True)[500]\n"
            "o = O.objects.filter(slug__startswith='generated-org').order_by('slug')[3].slug\n"
            "print(json.dumps({'release': r, 'org': o}))"
        ).splitlines()[-1]
    )
    return [
        ("floor (minimal Django view)", "/bench/floor/"),
        ("home", "/"),
        ("list, page 50", "/releases/?page=50"),
        ("filtered list (org+tag)", f"/releases/?org={facts['org']}&tag=migration"),
        ("search", "/search/?q=Geneva+migrants"),
        ("search, broad (all match)", "/search/?q=volunteers+trained"),
        ("release page", f"/releases/{facts['release']}/"),
        ("feed (RSS)", "/feeds/releases.rss"),
        ("sitemap.xml", "/sitemap.xml"),
        ("API list", "/api/v1/releases/"),
    ]


def query_counts(urls: list[tuple[str, str]]) -> dict[str, int]:
    code = (
        "import json\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "from django.test.utils import CaptureQueriesContext\n"
        f"urls = {[u for _, u in urls]!r}\n"
        "c = Client(HTTP_HOST='127.0.0.1')\n"
        "out = {}\n"
        "for u in urls:\n"
        "    c.get(u)\n"
        "    with CaptureQueriesContext(connection) as ctx:\n"
        "        r = c.get(u)\n"
        "    out[u] = [len(ctx.captured_queries), r.status_code]\n"
        "print(json.dumps(out))\n"
    )
    return json.loads(shell(code).splitlines()[-1])


def admin_timings() -> dict[str, float]:
    """Milliseconds of the admin changelists with the whole archive (test
    client in one process, warm: the second of three requests' median)."""
    code = (
        "import json, time\n"
        "from django.contrib import admin\n"
        "from django.contrib.auth import get_user_model\n"
        "from django.test import Client\n"
        "from django.urls import reverse\n"
        "U = get_user_model()\n"
        "u = U.objects.filter(username='bench-admin').first() or U.objects.create_superuser("
        "'bench-admin', 'bench@example.org', 'x')\n"
        "c = Client(HTTP_HOST='127.0.0.1')\n"
        "c.force_login(u)\n"
        "out = {}\n"
        "for m in admin.site._registry:\n"
        "    url = reverse(f'admin:{m._meta.app_label}_{m._meta.model_name}_changelist')\n"
        "    times = []\n"
        "    for _ in range(3):\n"
        "        t = time.perf_counter(); r = c.get(url); times.append(time.perf_counter() - t)\n"
        "    name = f'{m._meta.app_label}.{m._meta.model_name}'\n"
        "    out[name] = [sorted(times)[1] * 1000, r.status_code]\n"
        "print(json.dumps(out))\n"
    )
    return json.loads(shell(code).splitlines()[-1])


def explain() -> str:
    result = subprocess.run(
        [PY, str(ROOT / "bench" / "explain.py")],
        cwd=ROOT, env=ENV, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout


def port_in_use() -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", PORT)) == 0


def start_server() -> subprocess.Popen:
    if port_in_use():
        # Never measure a server left over from another run (or another app).
        raise SystemExit(f"port {PORT} is already in use: stop that server or set BENCH_PORT")
    proc = subprocess.Popen(
        # No access log: writing a line per request is part of no page's cost
        # and skews the floor most (it is the cheapest response).
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "--access-logfile",
            "/dev/null",
            "--log-level",
            "warning",
            "newsroom.wsgi",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=open(OUT / "gunicorn.log", "w"),  # noqa: SIM115 - lives as long as the server
        start_new_session=True,
    )
    for _ in range(100):
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited at start; see var/bench/gunicorn.log")
        try:
            urllib.request.urlopen(BASE + "/bench/floor/", timeout=1)  # noqa: S310 - localhost
            return proc
        except OSError:  # refused, reset or timed out while the workers boot
            time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGTERM)  # the master and its workers: no orphan on the port
    raise SystemExit("gunicorn did not start; see var/bench/gunicorn.log")


def wrk(url: str, header: str | None = None) -> dict:
    cmd = [
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{DURATION}",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "report.lua"),
    ]
    cmd += [BASE + url]
    if header:
        cmd += ["--", header]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    match = re.search(r"^WRKJSON (.*)$", out, re.M)
    if not match:
        raise SystemExit(f"wrk gave no result for {url}:\n{out}")
    return json.loads(match.group(1))


def etag_of(url: str) -> str | None:
    with urllib.request.urlopen(BASE + url, timeout=10) as response:  # noqa: S310 - localhost
        return response.headers.get("ETag")


def worker_rss_kb(master: subprocess.Popen) -> list[int]:
    """Resident memory of each gunicorn worker (children of the master)."""
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != master.pid:  # field 4 of stat: the parent pid
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)))
    if not sizes:  # fall back on procps
        pids = subprocess.run(
            ["pgrep", "-P", str(master.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        for pid in pids:
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)))
    return sorted(sizes)


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return f"{os.cpu_count()} cores ({cpu}), {mem_kb // 1024 // 1024} GiB RAM"


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (make bench installs it with apt).")
    OUT.mkdir(parents=True, exist_ok=True)
    ensure_database()
    load_archive()
    urls = pick_urls()
    if ONLY:
        urls = [
            (label, url)
            for label, url in urls
            if url == "/bench/floor/" or any(part in label for part in ONLY)
        ]
    counts = query_counts(urls)
    plans = "" if os.environ.get("BENCH_SKIP_EXPLAIN") else explain()
    admin = {} if QUICK else admin_timings()
    server = start_server()
    results = {
        "machine": machine(),
        "releases": N_RELEASES,
        "duration": DURATION,
        "redis": bool(os.environ.get("REDIS_URL")),
        "pages": [],
        "admin_ms": admin,
        "explain": plans,
    }
    try:
        for _, url in urls:  # warm every worker's connection and caches
            for _ in range(4):
                urllib.request.urlopen(BASE + url, timeout=120).read()  # noqa: S310
        floor = wrk("/bench/floor/")
        for label, url in urls:
            plain = floor if url == "/bench/floor/" else wrk(url)
            tag = etag_of(url)
            cached = wrk(url, f"If-None-Match: {tag}") if tag else None
            results["pages"].append(
                {
                    "page": label,
                    "url": url,
                    "queries": counts[url][0],
                    "status": counts[url][1],
                    "uncached": plain,
                    "ratio": plain["rps"] / floor["rps"],
                    "conditional": cached,
                    "conditional_ratio": cached["rps"] / floor["rps"] if cached else None,
                }
            )
            print(f"  measured {label}", flush=True)
        release_url = next((url for label, url in urls if label == "release page"), None)
        if release_url and not QUICK:
            before = worker_rss_kb(server)
            subprocess.run(
                ["wrk", "-t2", "-c4", "-d60s", "-s", str(ROOT / "bench" / "stop_after.lua"),
                 BASE + release_url],
                capture_output=True, check=True, text=True,
            )  # fmt: skip
            after = worker_rss_kb(server)
            results["memory"] = {"before_kb": before, "after_kb": after, "requests": 10_000}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
    name = "results-redis.json" if results["redis"] else "results.json"
    if ONLY or QUICK:
        name = "partial-" + name  # never overwrite a whole run with a part of one
    (OUT / name).write_text(json.dumps(results, indent=2))
    print_table(results)


def print_table(results: dict) -> None:
    print(f"\nNewsroom benchmark — {results['releases']:,} releases, {results['machine']}")
    cache = "Redis page cache ON" if results.get("redis") else "no shared page cache"
    print(
        f"wrk, {CONNECTIONS} connections, {results['duration']} per page, "
        f"gunicorn {ENV['WEB_CONCURRENCY']} workers, {cache}\n"
    )
    head = (
        f"{'page':<28}{'q':>3}{'req/s':>9}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        f"{'× floor':>9}{'304 req/s':>11}{'× floor':>9}"
    )
    print(head)
    print("-" * len(head))
    for row in results["pages"]:
        u, c = row["uncached"], row["conditional"]
        cond = f"{c['rps']:>11.0f}{row['conditional_ratio']:>9.2f}" if c else f"{'–':>11}{'–':>9}"
        print(
            f"{row['page']:<28}{row['queries']:>3}{u['rps']:>9.0f}{u['p50']:>8.1f}{u['p95']:>8.1f}"
            f"{u['p99']:>8.1f}{row['ratio']:>9.3f}{cond}"
        )
    mem = results.get("memory")
    if mem:
        print(
            f"\nWorker memory (RSS, KiB) before/after {mem['requests']:,} requests: "
            f"{mem['before_kb']} → {mem['after_kb']}"
        )
    slow = sorted(results.get("admin_ms", {}).items(), key=lambda item: -item[1][0])
    if slow:
        print("\nAdmin changelists (ms, test client, whole archive):")
        for name, (ms, status) in slow:
            print(f"  {name:<32}{ms:>8.1f}  {status}")
    if results.get("explain"):
        print(results["explain"])


if __name__ == "__main__":
    main()

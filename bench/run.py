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

Last, the cost of counting views (``reach.counting.ReachMiddleware``, one
Redis ``INCR`` per view) on the release page: the same page with counting
off and on, without and with the Redis page cache, each pair served by fresh
gunicorn servers in the same run (``BENCH_REACH_REDIS_URL``; skipped, with
the reason, when that Redis does not answer; ``BENCH_SKIP_COUNTING=1`` skips
it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
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
#: The Redis the view-counting rows count into, and their page cache
#: (``REDIS_URL``) for the cached pair.  Only the bench release's counters are
#: read and deleted there.
COUNT_REDIS_URL = (
    os.environ.get("BENCH_REACH_REDIS_URL")
    or os.environ.get("REACH_REDIS_URL")
    or os.environ.get("REDIS_URL")
    or "redis://127.0.0.1:6379/0"
)
COUNTING_LABEL = "view counting (release page)"
COUNTING_ROUNDS = max(1, int(os.environ.get("BENCH_COUNTING_ROUNDS", "3")))
#: wrk sends no User-Agent, and a request without one is a bot's, never
#: counted: the counting rows send a browser's, both with counting and without.
BROWSER_AGENT = "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

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


def port_in_use(port: int = PORT) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def start_server(env: dict[str, str] | None = None, port: int = PORT) -> subprocess.Popen:
    """gunicorn with ENV on ``port``, and ``env`` over ENV (the view-counting
    rows' switches; they run two servers side by side, on PORT and PORT + 1)."""
    if port_in_use(port):
        # Never measure a server left over from another run (or another app).
        raise SystemExit(f"port {port} is already in use: stop that server or set BENCH_PORT")
    log = OUT / ("gunicorn.log" if port == PORT else f"gunicorn-{port}.log")
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
        env={**ENV, "GUNICORN_BIND": f"127.0.0.1:{port}", **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),  # noqa: SIM115 - lives as long as the server
        start_new_session=True,
    )
    for _ in range(100):
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited at start; see {log}")
        try:
            url = f"http://127.0.0.1:{port}/bench/floor/"
            urllib.request.urlopen(url, timeout=1)
            return proc
        except OSError:  # refused, reset or timed out while the workers boot
            time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGTERM)  # the master and its workers: no orphan on the port
    raise SystemExit(f"gunicorn did not start; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def wrk(url: str, header: str | None = None, base: str = BASE) -> dict:
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
    cmd += [base + url]
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


def counting_wanted() -> bool:
    if os.environ.get("BENCH_SKIP_COUNTING"):
        return False
    return not ONLY or any(part in COUNTING_LABEL for part in ONLY)


def release_of(urls: list[tuple[str, str]]) -> str:
    return next(url for label, url in urls if label == "release page")


def counting_cost(release_url: str) -> dict:
    """The release page with view counting off and on, without and with the page cache.

    Counting and the page cache are read from the environment at start, so
    each is a server of its own: for each page-cache setting, one server
    without counting (on PORT) and one with it (PORT + 1) run side by side,
    warmed, and wrk, with a browser's user agent, drives them in turn,
    ``BENCH_COUNTING_ROUNDS`` times (default 3), in alternating order, so a
    change in the machine's load falls on both; the medians are kept.  After
    each run the page's Redis counter is read back: a run with counting on
    must have added at least the requests wrk completed (a few more: those in
    flight when it stopped), one without counting nothing, so the rows prove
    they measured what they say.  Then one count's own cost, in-process.
    """
    import redis

    client = redis.Redis.from_url(COUNT_REDIS_URL, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        return {"skipped": f"no Redis at {COUNT_REDIS_URL} ({exc}); set BENCH_REACH_REDIS_URL"}
    slug = release_url.strip("/").rsplit("/", 1)[-1]
    pattern = f"reach:*:view:{slug}"

    def settled() -> int:
        """The counter once the requests in flight when wrk stopped are done
        (the server finishes them after wrk has reported)."""
        value = counter()
        for _ in range(40):
            time.sleep(0.5)
            if (again := counter()) == value:
                break
            value = again
        return value

    def counter(delete: bool = False) -> int:
        total = 0
        for key in client.scan_iter(match=pattern):
            total += int(client.get(key) or 0)
            if delete:
                client.delete(key)
        return total

    rows = []
    for cache in (False, True):
        counter(delete=True)
        servers: dict[bool, subprocess.Popen] = {}
        runs: dict[bool, list[dict]] = {False: [], True: []}
        try:
            for counting in (False, True):
                servers[counting] = start_server(
                    {
                        "REACH_REDIS_URL": COUNT_REDIS_URL if counting else "",
                        "REDIS_URL": COUNT_REDIS_URL if cache else "",
                    },
                    port=PORT + counting,
                )
                base = f"http://127.0.0.1:{PORT + counting}"
                for _ in range(8):  # both workers' memo, connection and page cache
                    urllib.request.urlopen(base + release_url, timeout=120).read()  # noqa: S310
            for n in range(COUNTING_ROUNDS):
                for counting in (False, True) if n % 2 == 0 else (True, False):
                    before = settled()
                    result = wrk(release_url, BROWSER_AGENT, f"http://127.0.0.1:{PORT + counting}")
                    result["counted"] = settled() - before
                    runs[counting].append(result)
        finally:
            for server in servers.values():
                stop_server(server)
        for counting in (False, True):
            done = runs[counting]
            rows.append(
                {
                    "page_cache": cache,
                    "counting": counting,
                    "rps": statistics.median(r["rps"] for r in done),
                    "p50": statistics.median(r["p50"] for r in done),
                    "p95": statistics.median(r["p95"] for r in done),
                    "ratios": [
                        on["rps"] / off["rps"] for off, on in zip(runs[False], done, strict=True)
                    ],
                    "counted": sum(r["counted"] for r in done),
                    "requests": sum(r["requests"] for r in done),
                    "counts_right": all(
                        r["counted"] >= r["requests"] if counting else r["counted"] == 0
                        for r in done
                    ),
                    "runs": done,
                }
            )
    counter(delete=True)
    one = one_count_us(release_url)
    counter(delete=True)  # leave no bench counter for a sweep to file
    return {"url": release_url, "redis": COUNT_REDIS_URL, "one_count_us": one, "rows": rows}


def one_count_us(release_url: str) -> float:
    """Microseconds of what ReachMiddleware adds to a counted view (median of
    2,000, in-process): the path's kind (remembered), the user-agent check and
    the Redis INCR and EXPIRE in one round trip."""
    code = (
        "import statistics, time\n"
        "from reach.counting import count, is_bot, what\n"
        f"path, agent = {release_url!r}, {BROWSER_AGENT.split(': ', 1)[1]!r}\n"
        "count(*what(path))\n"
        "times = []\n"
        "for _ in range(2000):\n"
        "    t = time.perf_counter()\n"
        "    found = what(path)\n"
        "    if found and not is_bot(agent):\n"
        "        count(*found)\n"
        "    times.append(time.perf_counter() - t)\n"
        "print(statistics.median(times) * 1e6)\n"
    )
    result = subprocess.run(
        [PY, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT, env={**ENV, "REACH_REDIS_URL": COUNT_REDIS_URL},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(result.stdout.strip().splitlines()[-1])


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (make bench installs it with apt).")
    OUT.mkdir(parents=True, exist_ok=True)
    ensure_database()
    load_archive()
    urls = all_urls = pick_urls()
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
        for _, url in urls:
            warm_up(url)
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
        stop_server(server)
    if counting_wanted():
        try:
            results["view_counting"] = counting_cost(release_of(all_urls))
        except (SystemExit, Exception) as exc:  # e.g. PORT + 1 taken: keep the table above
            results["view_counting"] = {"skipped": f"{type(exc).__name__}: {exc}"}
    name = "results-redis.json" if results["redis"] else "results.json"
    if ONLY or QUICK:
        name = "partial-" + name  # never overwrite a whole run with a part of one
    (OUT / name).write_text(json.dumps(results, indent=2))
    print_table(results)


def warm_up(url: str) -> None:
    """Every worker's first view of ``url`` before wrk measures it.

    Requests one after another can all land on the same worker; the other
    then pays the first view (the facets of a whole-archive search: seconds)
    inside the measured ten seconds, and a row's p99 is that one request.
    Rounds of concurrent requests, as many as twice the workers, reach every
    worker.  The first view is measured on its own, in-process
    (``bench/pages_inprocess.py``, docs/PERFORMANCE.md).
    """
    workers = int(ENV["WEB_CONCURRENCY"])

    def fetch(_: int) -> None:
        urllib.request.urlopen(BASE + url, timeout=120).read()  # noqa: S310

    with ThreadPoolExecutor(max_workers=2 * workers) as pool:
        for _ in range(3):
            list(pool.map(fetch, range(2 * workers)))


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
    print_counting(results.get("view_counting"))
    slow = sorted(results.get("admin_ms", {}).items(), key=lambda item: -item[1][0])
    if slow:
        print("\nAdmin changelists (ms, test client, whole archive):")
        for name, (ms, status) in slow:
            print(f"  {name:<32}{ms:>8.1f}  {status}")
    if results.get("explain"):
        print(results["explain"])


def print_counting(counting: dict | None) -> None:
    if not counting:
        return
    print("\nView counting on the release page (ReachMiddleware, one Redis INCR per view):")
    if "skipped" in counting:
        print(f"  skipped: {counting['skipped']}")
        return
    head = (
        f"{'page cache':<12}{'counting':<10}{'req/s':>9}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'× without':>11}{'(rounds)':>15}{'counted':>10}{'requests':>10}  check"
    )
    print(head)
    print("-" * len(head))
    without = {}
    for row in counting["rows"]:
        cache, on = "Redis" if row["page_cache"] else "none", "on" if row["counting"] else "off"
        if not row["counting"]:
            without[row["page_cache"]] = row["rps"]
            ratio, spread = "1.000", ""
        else:
            ratio = f"{row['rps'] / without[row['page_cache']]:.3f}"
            spread = f"{min(row['ratios']):.2f}–{max(row['ratios']):.2f}"
        print(
            f"{cache:<12}{on:<10}{row['rps']:>9.0f}{row['p50']:>8.1f}{row['p95']:>8.1f}"
            f"{ratio:>11}{spread:>15}{row['counted']:>10}{row['requests']:>10}"
            f"  {'ok' if row['counts_right'] else 'WRONG'}"
        )
    one = counting["one_count_us"]
    print(f"One count in-process (path lookup, user agent, INCR+EXPIRE): {one:.0f} µs")


if __name__ == "__main__":
    main()

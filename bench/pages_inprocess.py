"""In-process timing of the home page, a release page and the API list.

A smaller, steadier measure than ``bench/run.py`` (no wrk, no gunicorn, no
contention between workers): each page is requested through Django's test
client, one request at a time, with the production middleware and DEBUG
off, against an archive made by ``manage.py generate_releases``.  Two
phases per page:

* **cold** — the memo (``core.memo.remember``) and the content-state memo
  are emptied before every request: the first view after a publish;
* **warm** — the same request again: the memo answers the ORM part, the
  templates still render (no Redis page cache, no ETag sent).

It prints, per phase, the median and the best wall time of ``BENCH_REPEAT``
(default 30) requests and the median CPU time of this process (the Python
cost, steadier than wall time on a shared machine: waiting for PostgreSQL
is not counted) in milliseconds, and the queries of one cold request.  With
``BENCH_PROFILE=<page label>`` it prints a pyinstrument profile of that
page's warm and cold requests instead (``pip install pyinstrument``; it is
not a dependency of the project).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> \\
        .venv/bin/python bench/pages_inprocess.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from newsroom.caching import forget_state  # noqa: E402
from releases.models import PressRelease  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def _cold() -> None:
    for alias in caches:
        caches[alias].clear()
    forget_state()


def _pages() -> dict[str, str]:
    release = (
        PressRelease.objects.published()
        .filter(images__isnull=False)
        .order_by("-publish_at")
        .first()
        or PressRelease.objects.published().order_by("-publish_at").first()
    )
    if release is None:
        raise SystemExit("No public release: run manage.py generate_releases first.")
    from contacts.models import Organisation

    org = Organisation.objects.filter(slug__startswith="generated-org").order_by("slug")[3:4]
    pages = {
        "home": "/",
        "list, page 50": "/releases/?page=50",
        "search": "/search/?q=Geneva+migrants",
        "search, broad": "/search/?q=volunteers+trained",
        "release page": release.get_absolute_url(),
        "feed (RSS)": "/feeds/releases.rss",
        "API list": "/api/v1/releases/",
    }
    if org:  # the archive of generate_releases: bench/run.py's filtered list
        pages["filtered list"] = f"/releases/?org={org[0].slug}&tag=migration"
    only = [part for part in os.environ.get("BENCH_ONLY", "").split(",") if part]
    return {label: url for label, url in pages.items() if not only or any(p in label for p in only)}


def _time(client: Client, url: str, cold: bool) -> tuple[float, float]:
    """Wall time and this process's CPU time of one request, in ms."""
    if cold:
        _cold()
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    used = (time.process_time() - cpu) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, used


def main() -> None:
    client = Client()
    pages = _pages()
    if label := os.environ.get("BENCH_PROFILE"):
        from pyinstrument import Profiler

        url = pages[label]
        for phase in ("warm", "cold"):
            client.get(url)
            for _ in range(3):
                _time(client, url, cold=phase == "cold")
            profiler = Profiler(interval=0.0002)
            for _ in range(REPEAT):
                if phase == "cold":
                    _cold()
                profiler.start()
                client.get(url)
                profiler.stop()
            print(f"== {label} ({phase}, {REPEAT} requests)")
            print(profiler.output_text(unicode=False, color=False, show_all=False))
        return
    print(
        f"{'page':<14} {'queries':>7}   cold: {'wall p50':>8} {'best':>6} {'cpu p50':>7}"
        f"   warm: {'wall p50':>8} {'best':>6} {'cpu p50':>7}"
    )
    for label, url in pages.items():
        for _ in range(3):
            _time(client, url, cold=True)
            _time(client, url, cold=False)
        _cold()
        captured: list[str] = []

        def count(execute, sql, params, many, context, captured=captured):
            captured.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        cold = [_time(client, url, cold=True) for _ in range(REPEAT)]
        warm = [_time(client, url, cold=False) for _ in range(REPEAT)]
        cells = []
        for runs in (cold, warm):
            walls, cpus = [run[0] for run in runs], [run[1] for run in runs]
            wall, best, cpu = statistics.median(walls), min(walls), statistics.median(cpus)
            cells.append(f"{wall:>8.1f} {best:>6.1f} {cpu:>7.1f}")
        print(f"{label:<14} {len(captured):>7}         {cells[0]}         {cells[1]}")


if __name__ == "__main__":
    main()

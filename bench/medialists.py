"""Benchmark: media lists — a large CSV import and a smart list over many people.

``make bench-medialists`` (or ``.venv/bin/python bench/medialists.py``) runs
this on PostgreSQL (``BENCH_MEDIALISTS_DATABASE_URL``, default the database
``newsroom_medialists_bench``, created if missing).  A measurement, not a
test: nothing here passes or fails.

1. Import: a ``BENCH_IMPORT_ROWS`` (default 20,000) row CSV goes through
   the admin's own steps (decode → read → plan → apply in one transaction);
   each step's time and the process's peak resident memory are printed as
   it runs, with the progress the worker's import saves (rows checked, rows
   written) printed every 5,000 rows.  ``make bench`` runs this too.
2. Smart list: ``BENCH_PEOPLE`` (default 100,000) people across outlets,
   countries, languages and beats; a smart list (beat × country × language ×
   outlet type) is counted with ``MediaPerson.objects.in_list`` (the one
   QuerySet method), and the send page's full audience (suppression, consent,
   duplicates) is evaluated for it.

3. View counting (``reach``): ``BENCH_REQUESTS`` (default 2,000) requests
   of one release page through the whole middleware stack in this process
   (Django's test client, page cache off), with counting off and on
   (``REACH_REDIS_URL``, default Redis database 8): requests per second of
   each.  Not gunicorn under wrk (``make bench`` is that): the difference is
   what counting adds to one request.
The figures are printed and written to ``var/bench/medialists.json``.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "20000"))
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
DB_URL = os.environ.get(
    "BENCH_MEDIALISTS_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/newsroom_medialists_bench",
)
OUT = ROOT / "var" / "bench"
COUNTRIES = ["GB", "PK", "FR", "DE", "US", "KE", "IN", "BR"]
LANGUAGES = ["EN", "UR", "FR", "DE", "ES", "SW"]
BEATS = ["energy", "water", "health", "migration", "climate", "trade", "farming", "cities"]


def say(text: str) -> None:
    print(text, flush=True)


def ensure_database() -> None:
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(DB_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> None:
    os.environ.update(
        {
            "DATABASE_URL": DB_URL,
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
            "MEDIALISTS_IMPORT_MAX_ROWS": str(max(ROWS, 50000)),
            "STATIC_ROOT": str(OUT / "medialists-static"),
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


def reset() -> None:
    from django.db import connection

    from medialists import models

    tables = [
        m._meta.db_table
        for m in (
            models.Recipient,
            models.Distribution,
            models.MediaList,
            models.MediaPerson,
            models.Outlet,
        )
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def make_csv(n: int) -> bytes:
    lines = ["Full name,E-mail,Outlet,Outlet type,Beats,Country,Language,Phone"]
    for i in range(n):
        lines.append(
            f"Person {i:06d},person{i}@bench.example.org,Outlet {i % 300},"
            f"{['wire', 'tv', 'radio', 'print', 'online'][i % 5]},"
            f"{BEATS[i % len(BEATS)]}; {BEATS[(i * 7) % len(BEATS)]},"
            f"{COUNTRIES[i % len(COUNTRIES)]},{LANGUAGES[i % len(LANGUAGES)]},"
            f"+44 20 7946 {i % 10000:04d}"
        )
    return ("\n".join(lines) + "\n").encode()


def _progress(label: str):
    started = time.perf_counter()

    def tell(done: int) -> None:
        say(f"        {label} {done:>7,} rows  ({time.perf_counter() - started:5.1f} s)")

    return tell


def bench_import() -> dict:
    from medialists import importing

    data = make_csv(ROWS)
    say(f"import: {ROWS:,} rows, {len(data) / 2**20:.1f} MB")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    text = importing.decode(data)
    header, rows = importing.read_rows(text, "csv")
    read = time.perf_counter()
    say(f"  [1/3] read      {read - started:6.2f} s")
    # The worker's progress callbacks (medialists.import_jobs), printed.
    plan = importing.plan(
        header, rows, importing.guess_mapping(header), progress=_progress("checked"), every=5000
    )
    planned = time.perf_counter()
    say(f"  [2/3] preview   {planned - read:6.2f} s  ({plan.count('create'):,} to create)")
    counts = importing.apply(
        plan, "professional", "bench", progress=_progress("written"), every=5000
    )
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    say(f"  [3/3] write     {done - planned:6.2f} s  ({counts['created']:,} created)")
    say(
        f"  total {done - started:.2f} s, peak resident memory {peak:.0f} MB "
        f"(was {rss_before:.0f} MB before)"
    )
    return {
        "rows": ROWS,
        "read_s": round(read - started, 3),
        "preview_s": round(planned - read, 3),
        "write_s": round(done - planned, 3),
        "total_s": round(done - started, 3),
        "peak_rss_mb": round(peak, 1),
        "rss_before_mb": round(rss_before, 1),
    }


def make_people(n: int) -> None:
    from django.db import connection
    from taggit.models import Tag

    from medialists.models import MediaPerson, Outlet

    reset()
    kinds = [k for k, _ in Outlet.Kind.choices]
    outlets = Outlet.objects.bulk_create(
        [Outlet(name=f"Outlet {i}", kind=kinds[i % len(kinds)]) for i in range(500)]
    )
    tags = [Tag.objects.get_or_create(name=b, slug=b)[0] for b in BEATS]
    started = time.perf_counter()
    batch = 10000
    for start in range(0, n, batch):
        people = [
            MediaPerson(
                name=f"Person {i:06d}",
                email=f"p{i}@bench.example.org",
                outlet=outlets[i % len(outlets)],
                countries=",".join({COUNTRIES[i % 8], COUNTRIES[(i * 3) % 8]}),
                languages=LANGUAGES[i % 6],
                consent_basis="professional" if i % 10 else "",
            )
            for i in range(start, min(n, start + batch))
        ]
        made = MediaPerson.objects.bulk_create(people)  # bulk: save()'s links are not needed
        through = MediaPerson.beats.through
        through.objects.bulk_create(
            [
                through(mediaperson_id=p.pk, tag_id=tags[(p.pk * k) % len(tags)].pk)
                for p in made
                for k in (1, 5)
            ],
            ignore_conflicts=True,
        )
        say(f"  people {min(n, start + batch):,}/{n:,}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    say(f"  written in {time.perf_counter() - started:.1f} s")


def bench_smart_list() -> dict:
    from taggit.models import Tag

    from medialists import audience
    from medialists.models import MediaList, MediaPerson

    say(f"smart list over {PEOPLE:,} people")
    make_people(PEOPLE)
    smart = MediaList.objects.create(
        name="Bench", kind="smart", countries="GB,PK", languages="EN,UR", outlet_kinds="wire,tv"
    )
    smart.beats.add(*Tag.objects.filter(slug__in=["energy", "water"]))
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        count = MediaPerson.objects.in_list(smart).count()
        timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    outcome = audience.audience(0, [smart])
    full = time.perf_counter() - started
    best = min(timings)
    say(f"  count: {count:,} people, best of 5 {best * 1000:.0f} ms")
    say(
        f"  full audience (people loaded, suppression, consent): {full:.2f} s "
        f"({outcome.count:,} reachable, {len(outcome.excluded):,} left out)"
    )
    return {
        "people": PEOPLE,
        "matched": count,
        "count_ms": round(best * 1000, 1),
        "audience_s": round(full, 3),
    }


REQUESTS = int(os.environ.get("BENCH_REQUESTS", "2000"))
REACH_REDIS = os.environ.get("BENCH_REACH_REDIS_URL", "redis://127.0.0.1:6379/8")


def bench_counting() -> dict:
    from django.core.management import call_command
    from django.test import Client, override_settings

    from reach import counting
    from releases.models import PressRelease

    call_command("collectstatic", "--noinput", verbosity=0)  # the pages' hashed file names
    slug = "bench-reach-release"
    PressRelease.objects.filter(slug=slug).delete()
    from django.utils import timezone

    PressRelease.objects.create(
        slug=slug,
        title="A release to count",
        summary="Counted.",
        body="<p>Counted.</p>",
        status="published",
        publish_at=timezone.now() - timezone.timedelta(hours=1),
    )
    agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120 Safari/537.36"
    results: dict[str, float] = {"off": 0.0, "on": 0.0}
    # Alternated, best of three each: the machine's other load moves both alike.
    for label, url in (("off", ""), ("on", REACH_REDIS)) * 3:
        with override_settings(REACH_REDIS_URL=url, ALLOWED_HOSTS=["*"], NEWSROOM_PAGE_CACHE=None):
            counting._client.cache_clear()
            client = Client()
            assert client.get(f"/releases/{slug}/", secure=True).status_code == 200
            started = time.perf_counter()
            for _ in range(REQUESTS):
                client.get(f"/releases/{slug}/", secure=True, HTTP_USER_AGENT=agent)
            rate = REQUESTS / (time.perf_counter() - started)
            results[label] = round(max(results[label], rate), 1)
            say(f"  counting {label:>3}: {rate:7.1f} req/s ({REQUESTS:,} requests)")
            if url:
                counted = counting.flush()["flushed"]
                say(f"  counted and flushed: {counted:,}")
    counting._client.cache_clear()
    return {"requests": REQUESTS, "req_per_s_off": results["off"], "req_per_s_on": results["on"]}


def main() -> None:
    ensure_database()
    setup_django()
    reset()
    results = {"import": bench_import(), "smart_list": bench_smart_list()}
    say("view counting on the release page")
    results["view_counting"] = bench_counting()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "medialists.json").write_text(json.dumps(results, indent=2))
    say(json.dumps(results, indent=2))
    imported, smart = results["import"], results["smart_list"]
    say(
        f"media lists: {imported['rows']:,}-row import {imported['total_s']:.1f} s "
        f"(peak memory {imported['peak_rss_mb']:.0f} MB); smart list over "
        f"{smart['people']:,} people {smart['count_ms']:.0f} ms (count), "
        f"{smart['audience_s']:.2f} s (full audience)"
    )


if __name__ == "__main__":
    main()

"""``make lighthouse``: the browser side of performance, measured by Lighthouse.

It serves the demo newsroom as in production — gunicorn, DEBUG off, static
files collected by WhiteNoise's compressed, hashed storage — from a database
of its own (``var/lighthouse/``; ``LIGHTHOUSE_DATABASE_URL`` for another), in
which one demo release is given pictures (the demo content has none, and
a press release with photographs is the page the issue asks about).  Then it
runs Lighthouse (npm ``lighthouse``, pinned in ``tools/lighthouse/``) with
Debian's Chromium (``CHROME_PATH``, default ``/usr/bin/chromium``; never a
downloaded browser) and its default mobile emulation (a mid-range phone on a
slow 4G line, simulated) on:

* the home page,
* a release page with pictures,
* search results.

It prints, per page, the four category scores (performance, accessibility,
best practices, SEO), Largest Contentful Paint, Cumulative Layout Shift and
the bytes transferred (in all, and without images), checks them against the
targets of issue 17 (performance ≥ 95, CLS 0, a text page ≤ 60 KiB) and
names the audits that cost points.  It writes the full reports and a summary
(``var/lighthouse/summary.json``) and replaces the table between the
``lighthouse:begin``/``lighthouse:end`` markers of ``docs/PERFORMANCE.md``
(``LIGHTHOUSE_WRITE_DOCS=0`` leaves the document alone).

It is a measurement, not a test: scores move with the machine's load, and
Lighthouse's simulated throttling makes them comparable between runs, not
equal to a real phone's.  ``LIGHTHOUSE_RUNS`` (default 1) runs each page
more than once and keeps the run with the median performance score.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
OUT = ROOT / "var" / "lighthouse"
DOC = ROOT / "docs" / "PERFORMANCE.md"
PORT = int(os.environ.get("LIGHTHOUSE_PORT", "8410"))
#: ``localhost``, not 127.0.0.1: Lighthouse and Chromium treat it as a secure
#: origin, as the production site behind HTTPS is.
BASE = f"http://localhost:{PORT}"
DB_URL = os.environ.get("LIGHTHOUSE_DATABASE_URL") or f"sqlite:///{OUT / 'newsroom.sqlite3'}"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
LIGHTHOUSE_CLI = ROOT / "tools" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
RUNS = max(1, int(os.environ.get("LIGHTHOUSE_RUNS", "1")))
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")

#: Issue 17's targets for the browser side.
TARGET_PERFORMANCE = 95
TARGET_CLS = 0.0
TARGET_TEXT_BYTES = 60 * 1024

ENV = {
    **os.environ,
    "DATABASE_URL": DB_URL,
    "DEBUG": "0",
    "SECRET_KEY": "lighthouse-only-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "localhost,127.0.0.1",
    "NEWSROOM_SITE_URL": BASE,
    # Plain HTTP on localhost: no redirect to https, cookies not "Secure"-only.
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "STATIC_ROOT": str(OUT / "staticfiles"),
    "MEDIA_ROOT": str(OUT / "media"),
    "WEB_CONCURRENCY": "2",
    "GUNICORN_BIND": f"127.0.0.1:{PORT}",
    "GUNICORN_CONTROL_SOCKET": "off",
    # Lighthouse's visits must not be counted as readers (its user agent is a
    # bot's anyway), and no Redis is needed for a page's browser-side cost.
    "REACH_REDIS_URL": "",
    "REDIS_URL": "",
}


# --- Reading a report ----------------------------------------------------------


@dataclass
class PageResult:
    """What one Lighthouse report says about a page, in the units people read."""

    page: str
    url: str
    scores: dict[str, int | None]
    lcp_ms: float
    cls: float
    total_bytes: int
    image_bytes: int
    document_bytes: int
    requests: int
    #: Audits that cost points, per category: ``[id, title, score]``.
    failed: dict[str, list[list[Any]]] = field(default_factory=dict)
    lighthouse_version: str = ""
    warnings: list[str] = field(default_factory=list)
    #: Chromium's measure of this machine's speed at the time (a quiet desktop
    #: scores 1,000–2,000; a loaded machine less, and its scores suffer).
    benchmark_index: float = 0.0
    #: The performance score of every run of the page (``LIGHTHOUSE_RUNS``).
    performance_runs: list[int] = field(default_factory=list)

    @property
    def text_bytes(self) -> int:
        """Everything but pictures: what a text page costs to transfer."""
        return self.total_bytes - self.image_bytes


def summarise(page: str, report: dict[str, Any]) -> PageResult:
    """The figures of one Lighthouse JSON report (``--output=json``).

    A report whose page failed to load (``runtimeError``) or lacks a category
    is refused with the reason, never read as zeros.
    """
    error = report.get("runtimeError")
    if error:
        raise ValueError(f"Lighthouse could not measure {page}: {error.get('message', error)}")
    categories = report.get("categories", {})
    missing = [name for name in CATEGORIES if name not in categories]
    if missing:
        raise ValueError(f"the report of {page} has no {', '.join(missing)} category")
    audits = report["audits"]
    scores = {
        name: None if categories[name]["score"] is None else round(categories[name]["score"] * 100)
        for name in CATEGORIES
    }
    by_type = {
        item["resourceType"]: item
        for item in audits["resource-summary"].get("details", {}).get("items", [])
    }
    failed: dict[str, list[list[Any]]] = {}
    for name in CATEGORIES:
        for ref in categories[name]["auditRefs"]:
            audit = audits.get(ref["id"], {})
            score = audit.get("score")
            mode = audit.get("scoreDisplayMode")
            if score is None or mode in {"notApplicable", "informative", "manual"}:
                continue
            if score < 0.9:
                failed.setdefault(name, []).append([ref["id"], audit.get("title", ""), score])
    return PageResult(
        page=page,
        url=report.get("finalDisplayedUrl") or report.get("finalUrl") or report["requestedUrl"],
        scores=scores,
        lcp_ms=float(audits["largest-contentful-paint"]["numericValue"]),
        cls=float(audits["cumulative-layout-shift"]["numericValue"]),
        total_bytes=int(audits["total-byte-weight"]["numericValue"]),
        image_bytes=int(by_type.get("image", {}).get("transferSize", 0)),
        document_bytes=int(by_type.get("document", {}).get("transferSize", 0)),
        requests=int(by_type.get("total", {}).get("requestCount", 0)),
        failed=failed,
        lighthouse_version=report.get("lighthouseVersion", ""),
        warnings=list(report.get("runWarnings", [])),
        benchmark_index=float(report.get("environment", {}).get("benchmarkIndex", 0)),
    )


def kib(size: int) -> str:
    return f"{size / 1024:.1f}"


def markdown_table(results: list[PageResult]) -> str:
    """One row per page: the four scores, LCP, CLS and the bytes transferred."""
    lines = [
        "| page | perf. | access. | best pr. | SEO | LCP | CLS "
        "| transferred | of which pictures | requests |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        shown = {c: "–" if r.scores[c] is None else str(r.scores[c]) for c in CATEGORIES}
        if len(r.performance_runs) > 1:  # the median run's, and the range of all runs
            low, high = min(r.performance_runs), max(r.performance_runs)
            shown["performance"] += f" ({low}–{high})"
        scores = " | ".join(shown[c] for c in CATEGORIES)
        lines.append(
            f"| {r.page} | {scores} | {r.lcp_ms / 1000:.2f} s | {r.cls:.3f} "
            f"| {kib(r.total_bytes)} KiB | {kib(r.image_bytes)} KiB | {r.requests} |"
        )
    return "\n".join(lines)


def misses(results: list[PageResult]) -> list[str]:
    """Each target of issue 17 a page misses, in words."""
    found = []
    for r in results:
        perf = r.scores["performance"]
        if perf is None or perf < TARGET_PERFORMANCE:
            found.append(f"{r.page}: performance {perf} < {TARGET_PERFORMANCE}")
        if r.cls > TARGET_CLS:
            found.append(f"{r.page}: layout shift (CLS {r.cls:.3f} > 0)")
        if r.text_bytes > TARGET_TEXT_BYTES:
            found.append(
                f"{r.page}: {kib(r.text_bytes)} KiB transferred without pictures "
                f"(> {kib(TARGET_TEXT_BYTES)} KiB)"
            )
    return found


def failed_audits(results: list[PageResult]) -> str:
    lines = []
    for r in results:
        for category, audits in r.failed.items():
            for audit_id, title, score in audits:
                lines.append(f"  {r.page:<26}{category:<16}{score:>5.2f}  {audit_id}: {title}")
    return "\n".join(lines)


def write_docs(results: list[PageResult], when: str) -> bool:
    """Put the table between the markers of docs/PERFORMANCE.md; False if absent."""
    text = DOC.read_text()
    begin, end = "<!-- lighthouse:begin -->", "<!-- lighthouse:end -->"
    if begin not in text or end not in text:
        return False
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    version = results[0].lighthouse_version if results else ""
    runs = max((len(r.performance_runs) for r in results), default=1)
    speed = min((r.benchmark_index for r in results), default=0)
    block = (
        f"{begin}\n_Lighthouse {version}, mobile emulation, {when}, "
        f"{runs} run{'s' if runs > 1 else ''} a page (the median's figures), lowest "
        f"Chromium benchmark index {speed:.0f}; written by `make lighthouse`._\n\n"
        f"{markdown_table(results)}\n{end}"
    )
    DOC.write_text(head + block + tail)
    return True


# --- Serving the newsroom and running Lighthouse -----------------------------------


def manage(*args: str) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=ENV, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return result.stdout


#: Gives the newest published demo release three photographs (once: kept in
#: this script's own database).  Photograph-like pixels — a gradient with
#: grain — so the JPEG and WebP renditions weigh what real photographs do.
PICTURES = """
import io, json
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from releases.models import PressRelease, ReleaseImage

release = PressRelease.objects.published().order_by("-publish_at").first()
if not release.images.exists():
    for n, (w, h) in enumerate([(3000, 2000), (2400, 1600), (1600, 2400)]):
        base = Image.linear_gradient("L").resize((w, h)).convert("RGB")
        tint = Image.new("RGB", (w, h), (40 + 60 * n, 110, 160 - 40 * n))
        grain = Image.effect_noise((w, h), 40).convert("RGB")
        picture = Image.blend(Image.blend(base, tint, 0.5), grain, 0.25)
        data = io.BytesIO()
        picture.save(data, "JPEG", quality=90)
        ReleaseImage.objects.create(
            release=release,
            image=SimpleUploadedFile(f"photo-{n}.jpg", data.getvalue(), "image/jpeg"),
            alt_text=f"Demo photograph {n + 1} of the release",
            caption=f"Demo photograph {n + 1}",
            credit="Newsroom demo",
            is_lead=n == 0,
            order=n,
        )
print(json.dumps({"slug": release.slug, "images": release.images.count()}))
"""


def prepare() -> dict[str, Any]:
    OUT.mkdir(parents=True, exist_ok=True)
    manage("migrate", "--noinput")
    manage("load_demo")
    facts = json.loads(manage("shell", "--no-imports", "-c", PICTURES).splitlines()[-1])
    manage("collectstatic", "--noinput", "-v", "0")
    return facts


def port_in_use() -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", PORT)) == 0


def start_server() -> subprocess.Popen:
    if port_in_use():
        raise SystemExit(f"port {PORT} is already in use: stop that server or set LIGHTHOUSE_PORT")
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py",
         "--access-logfile", "/dev/null", "--log-level", "warning", "newsroom.wsgi"],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=open(OUT / "gunicorn.log", "w"),  # noqa: SIM115 - lives as long as the server
        start_new_session=True,
    )  # fmt: skip
    for _ in range(150):
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited at start; see var/lighthouse/gunicorn.log")
        try:
            urllib.request.urlopen(BASE + "/", timeout=2)  # noqa: S310 - localhost
            return proc
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise SystemExit("gunicorn did not start; see var/lighthouse/gunicorn.log")


def stop_server(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)  # the master and its workers
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def lighthouse(url: str, output: Path, timeout: int = 300) -> dict[str, Any]:
    """One Lighthouse run (mobile emulation, the four categories); its JSON report."""
    if not LIGHTHOUSE_CLI.exists():
        raise SystemExit(f"{LIGHTHOUSE_CLI} is missing: `make lighthouse` installs it (npm ci)")
    if not Path(CHROME).exists():
        raise SystemExit(f"Chromium is missing at {CHROME}: `make browser` installs it")
    cmd = [
        "node", str(LIGHTHOUSE_CLI), url,
        "--output=json", f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]  # fmt: skip
    result = subprocess.run(
        cmd,
        env={**os.environ, "CHROME_PATH": CHROME},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0 or not output.exists():
        raise SystemExit(f"Lighthouse failed on {url}:\n{result.stdout}{result.stderr}")
    return json.loads(output.read_text())


def measure(label: str, path: str) -> PageResult:
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    runs = []
    for n in range(RUNS):
        report = lighthouse(BASE + path, OUT / f"{slug}-{n + 1}.report.json")
        runs.append(summarise(label, report))
    middle = statistics.median_low(r.scores["performance"] or 0 for r in runs)
    kept = next(r for r in runs if (r.scores["performance"] or 0) == middle)
    kept.performance_runs = [r.scores["performance"] or 0 for r in runs]
    kept.benchmark_index = min(r.benchmark_index for r in runs)
    return kept


def main() -> None:
    facts = prepare()
    pages = [
        ("home", "/"),
        (f"release with pictures ({facts['images']})", f"/releases/{facts['slug']}/"),
        ("search results", "/search/?q=training"),
    ]
    server = start_server()
    try:
        for _, path in pages:  # first requests make the renditions and warm the workers
            with urllib.request.urlopen(BASE + path, timeout=60) as response:  # noqa: S310
                response.read()
        results = []
        for label, path in pages:
            print(f"  Lighthouse: {label} …", flush=True)
            results.append(measure(label, path))
    finally:
        stop_server(server)
    when = time.strftime("%Y-%m-%d", time.gmtime())
    summary = {
        "date": when,
        "lighthouse": results[0].lighthouse_version,
        "chrome": CHROME,
        "runs_per_page": RUNS,
        "targets": {
            "performance": TARGET_PERFORMANCE,
            "cls": TARGET_CLS,
            "text_bytes": TARGET_TEXT_BYTES,
        },
        "pages": [asdict(r) | {"text_bytes": r.text_bytes} for r in results],
        "misses": misses(results),
    }
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2))
    print()
    print(markdown_table(results))
    print("\nAudits that cost points (score < 0.9):")
    print(failed_audits(results) or "  none")
    print("\nTargets of issue 17 missed:")
    print("\n".join(f"  {line}" for line in summary["misses"]) or "  none")
    if os.environ.get("LIGHTHOUSE_WRITE_DOCS", "1") != "0":
        if write_docs(results, when):
            print(f"\nThe table in {DOC.relative_to(ROOT)} is updated.")
        else:
            print(f"\n{DOC.relative_to(ROOT)} has no lighthouse markers: left alone.")
    print(f"Reports and summary.json in {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()

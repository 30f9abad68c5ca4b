"""``make lighthouse`` reads Lighthouse's real reports right (bench/lighthouse.py).

One real Lighthouse run (the pinned npm package, Debian's Chromium) on a page
this test serves itself: 80 KiB of text marked ``noindex``.  So the report is
Lighthouse's own, and the script must find in it what the page was made to
have: the bytes over the 60 KiB text-page target, the SEO audit a
``noindex`` fails, and the scores as whole numbers.  About 15–30 s.

Skipped, with the reason, where ``make lighthouse`` has not installed
Lighthouse (``tools/lighthouse/node_modules``) or Chromium is missing: CI
does not install either for a measurement it does not run.
"""

from __future__ import annotations

import copy
import http.server
import importlib.util
import shutil
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEXT_BYTES = 80 * 1024


def _script():
    spec = importlib.util.spec_from_file_location(
        "bench_lighthouse", ROOT / "bench" / "lighthouse.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up by name
    spec.loader.exec_module(module)
    return module


lighthouse = _script()


def _page() -> bytes:
    paragraph = "<p>" + "A paragraph of a long press release, read on a phone. " * 20 + "</p>\n"
    head = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        "<title>A long text page</title>"
        '<meta name="description" content="A page made by the test."></head><body><main>'
        "<h1>A long text page</h1>\n"
    )
    body = head
    while len(body) < TEXT_BYTES:
        body += paragraph
    return (body + "</main></body></html>").encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    page = _page()

    def do_GET(self) -> None:
        if self.path != "/":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.page)))
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    if not lighthouse.LIGHTHOUSE_CLI.exists():
        pytest.skip("Lighthouse is not installed: `make lighthouse` installs it (npm ci)")
    if not Path(lighthouse.CHROME).exists() or shutil.which("node") is None:
        pytest.skip(f"Chromium ({lighthouse.CHROME}) or node is missing")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://localhost:{server.server_address[1]}/"
        out = tmp_path_factory.mktemp("lighthouse") / "page.report.json"
        yield lighthouse.lighthouse(url, out, timeout=120)
    finally:
        server.shutdown()
        server.server_close()


def test_the_figures_are_read_from_the_report(report: dict) -> None:
    result = lighthouse.summarise("long text page", report)

    assert set(result.scores) == {"performance", "accessibility", "best-practices", "seo"}
    assert all(isinstance(s, int) and 0 <= s <= 100 for s in result.scores.values())
    # The page alone, uncompressed, plus its headers; no picture.
    assert TEXT_BYTES <= result.document_bytes <= result.total_bytes < TEXT_BYTES + 4096
    assert result.image_bytes == 0
    assert result.text_bytes == result.total_bytes
    assert result.lcp_ms > 0
    assert result.cls == 0
    assert "is-crawlable" in [audit_id for audit_id, _, _ in result.failed["seo"]]


def test_the_table_and_the_missed_targets(report: dict) -> None:
    result = lighthouse.summarise("long text page", report)
    table = lighthouse.markdown_table([result])

    row = table.splitlines()[2]
    assert row.startswith("| long text page | ")
    assert f"| {result.scores['seo']} |" in row
    assert f"{result.total_bytes / 1024:.1f} KiB | 0.0 KiB |" in row
    missed = lighthouse.misses([result])
    assert any("long text page" in line and "without pictures" in line for line in missed)
    assert not any("layout shift" in line for line in missed)


def test_a_report_without_a_category_is_refused(report: dict) -> None:
    broken = copy.deepcopy(report)
    del broken["categories"]["seo"]
    with pytest.raises(ValueError, match="no seo category"):
        lighthouse.summarise("long text page", broken)
    broken = copy.deepcopy(report)
    broken["runtimeError"] = {"code": "ERRORED_DOCUMENT_REQUEST", "message": "Status code: 500"}
    with pytest.raises(ValueError, match="could not measure long text page: Status code: 500"):
        lighthouse.summarise("long text page", broken)

"""The public newsroom through the Nu HTML Checker (issue 19).

The W3C validator's own engine (``vnu.jar``, installed pinned by ``make
validators``) reads every page reachable from the home page of the demo
newsroom, plus the pages a crawler would not find by links (a search, an
error page). Any error fails, and so does the "role is unnecessary"
warning it gave 315 times before (issue 19, item 9): lists keep their
semantics in Safari through their marker style, not through ``role``.

One JVM start for all pages, so the whole crawl costs a few seconds.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
VNU = Path(os.environ.get("VNU_JAR", ROOT / ".tools/node_modules/vnu-jar/build/dist/vnu.jar"))
MAX_PAGES = 120
#: Reached by no link on purpose, or reached only by a form.
EXTRA = ["/search/?q=training", "/releases/?q=migrants", "/no-such-page/", "/api/"]

pytestmark = pytest.mark.django_db


def _tools_missing() -> str:
    if shutil.which("java") is None:
        return "java is not installed (make validators installs it)"
    if not VNU.exists():
        return f"{VNU} is missing: run `make validators`"
    return ""


@pytest.fixture
def nu_checker() -> Path:
    reason = _tools_missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the Nu HTML Checker: {reason}")
        pytest.skip(reason)
    return VNU


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _crawl(client) -> dict[str, str]:
    """Public HTML pages by path, breadth first from the home page."""
    queue, seen, pages = ["/", *EXTRA], set(), {}
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        pages[path] = html
        parser = _Links()
        parser.feed(html)
        for href in parser.hrefs:
            url = urlsplit(urljoin(f"http://testserver{path}", href))
            if url.netloc != "testserver" or url.path.startswith(("/admin", "/static", "/media")):
                continue
            queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return pages


def test_every_public_page_passes_the_nu_html_checker(client, nu_checker, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    pages = _crawl(client)
    assert len(pages) >= 20, sorted(pages)
    files = {}
    for number, (path, html) in enumerate(sorted(pages.items())):
        file = tmp_path / f"page-{number:03}.html"
        file.write_text(html, encoding="utf-8")
        files[file.name] = path
    result = subprocess.run(
        ["java", "-Xss8m", "-jar", str(nu_checker), "--format", "json", *map(str, sorted(
            tmp_path.glob("page-*.html")))],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    try:
        messages = json.loads(result.stderr)["messages"]
    except ValueError:
        pytest.fail(
            f"the checker did not answer in JSON: {result.stdout[-800:]}{result.stderr[-800:]}"
        )
    problems = [
        f"{files.get(str(m.get('url')).rsplit('/', 1)[-1], m.get('url'))}:{m.get('lastLine')}: "
        f"{m['type']}: {m['message']}"
        for m in messages
        if m["type"] == "error" or "role is unnecessary" in m["message"]
    ]
    assert not problems, "\n".join(problems[:40])

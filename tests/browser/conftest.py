"""Real-browser fixtures: Playwright driving Debian's Chromium against pytest-django's live server.

* Chromium comes from the distribution (``/usr/bin/chromium``; ``make
  browser`` installs it with apt).  ``playwright install`` is never run: no
  browser is downloaded.
* One browser per test session; a fresh context (cookies, storage) and page
  per test, at the viewport the test asks for (``viewport`` fixture, desktop
  by default; parametrize ``viewport`` with PHONE / DESKTOP).
* Every page records console errors and uncaught exceptions; a Content
  Security Policy violation ("Refused to ...") fails the test at teardown, so
  a template that slips in an inline script or style is caught even by tests
  that were not looking for it.
* A screenshot of the last state of every test lands in
  ``test-artifacts/screenshots/`` (gitignored) for CI artefacts and review.

Tests here need ``@pytest.mark.browser`` and
``@pytest.mark.django_db(transaction=True)``: the live server runs in
another thread, so test data must be committed to be seen.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent.parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


@dataclass
class ConsoleLog:
    """What the page said on its console: errors and uncaught exceptions."""

    errors: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def on_page_error(self, error: Exception) -> None:
        self.errors.append(f"uncaught: {error}")

    @property
    def csp_violations(self) -> list[str]:
        return [e for e in self.errors if "Refused to" in e or "Content Security Policy" in e]

    def assert_no_csp_violations(self) -> None:
        assert not self.csp_violations, "CSP blocked something:\n" + "\n".join(self.csp_violations)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make browser` (apt-get install chromium)"
        )
    # Playwright's sync API runs an event loop in this thread; Django would then
    # refuse ORM calls from test code ("You cannot call this from an async
    # context").  Those calls are plain synchronous set-up, so allow them, for
    # the browser session only (it must not leak into other tests' subprocesses).
    with pytest.MonkeyPatch.context() as mp, sync_playwright() as playwright:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def viewport() -> dict[str, int]:
    return DESKTOP


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def page(browser, live_server, viewport, console, request) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("console", console.on_console)
    page.on("pageerror", console.on_page_error)
    yield page
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::", 1)[-1]).strip("_")
    try:
        if page.url != "about:blank":  # a skipped test never navigated
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    finally:
        context.close()
    console.assert_no_csp_violations()


@pytest.fixture
def new_page(browser, live_server, console) -> Iterator[Callable[..., Page]]:
    """Open a page in a *fresh* browser context: one per person in a flow.

    A writer, an editor, a publisher and an anonymous journalist each get
    their own cookies and HTTP cache, as four people on four computers
    would.  ``new_page(viewport=PHONE)`` or any ``browser.new_context``
    option.  Every page reports to the same console log, so a CSP
    violation on any of them fails the test at teardown.
    """
    contexts: list[BrowserContext] = []

    def make(viewport: dict[str, int] = DESKTOP, **options: object) -> Page:
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, locale="en-GB", **options
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", console.on_console)
        page.on("pageerror", console.on_page_error)
        return page

    yield make
    for context in contexts:
        context.close()
    console.assert_no_csp_violations()

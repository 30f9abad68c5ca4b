"""Steps shared by browser tests (and by the end-to-end flows to come).

Keep each step small and named as a user would say it, so a new flow
(writer drafts -> editor approves -> publisher schedules) reads as a list
of steps: ``login_admin(page, writer)``, ``open_admin_add(page, ...)``...
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from django.template import TemplateDoesNotExist
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's password


def login_admin(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real admin login form (throttled by axes)."""
    page.goto(reverse("admin:login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text(username, ignore_case=True)


def logout_admin(page: Page) -> None:
    page.locator("#logout-form button").click()


def page_is_built(url: str) -> tuple[bool, str]:
    """Whether ``url`` renders a full HTML page on this branch.

    Some public pages are built on other branches; until they are merged the
    browser tests for them are skipped (with this reason), not failed.
    """
    client = Client(raise_request_exception=True)
    try:
        response = client.get(url)
    except TemplateDoesNotExist as exc:
        return False, f"template {exc} is not on this branch yet"
    body = response.content.decode(errors="replace").lower()
    if response.status_code == 200 and "<html" not in body:
        return False, f"{url} is still a placeholder (no <html> element)"
    return True, ""


# ---------------------------------------------------------------------------
# Steps of the end-to-end flows (tests/browser/test_e2e_*.py)
# ---------------------------------------------------------------------------


def choose_in_autocomplete(page: Page, field_id: str, search: str, option: str) -> None:
    """Pick ``option`` in one of the admin's autocomplete fields, as a person does:
    open the box, type part of the name, click the suggestion (loaded over AJAX)."""
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).first.click()
    expect(page.locator(f"#{field_id} + .select2 .select2-selection__rendered")).to_contain_text(
        option
    )


def add_inline_row(page: Page, prefix: str) -> None:
    """Click an inline's "Add another …" link (``prefix`` is the formset's, e.g. ``images``)."""
    page.locator(f"#{prefix}-group .add-row a").click()


def type_into_editor(page: Page, paragraphs: list[str]) -> None:
    """Type paragraphs into the ProseMirror body editor with the keyboard."""
    editor = page.locator(".prose-editor [contenteditable=true]").first
    editor.click()
    for i, text in enumerate(paragraphs):
        if i:
            page.keyboard.press("Enter")
        page.keyboard.type(text)
    expect(editor).to_contain_text(paragraphs[-1])


def click_workflow_button(page: Page, label: str, note: str = "") -> None:
    """Press a button in the change form's "Status and embargo" panel."""
    form = page.locator(".wf-actions .wf-transition").filter(
        has=page.get_by_role("button", name=label, exact=True)
    )
    if note:
        form.locator("textarea").fill(note)
    form.get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(f"{label}: done.")


def make_photo(path: Path, size: tuple[int, int] = (1600, 1067)) -> Path:
    """A real JPEG that looks like a picture (sky, hills, a shelter), made with Pillow.

    Screenshots of a page with a flat orange block would not show whether the
    figure, its caption and credit are laid out well.
    """
    from PIL import Image, ImageDraw

    width, height = size
    sky = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    sky = Image.blend(Image.new("RGB", size, (70, 130, 190)), sky, 0.25)
    draw = ImageDraw.Draw(sky)
    horizon = int(height * 0.62)
    draw.polygon(
        [
            (0, horizon),
            (width * 0.3, horizon - height * 0.18),
            (width * 0.6, horizon),
            (width, horizon - height * 0.1),
            (width, height),
            (0, height),
        ],
        fill=(92, 120, 70),
    )
    draw.rectangle([0, int(height * 0.8), width, height], fill=(150, 120, 85))
    tent = [
        (width * 0.42, height * 0.78),
        (width * 0.52, height * 0.55),
        (width * 0.62, height * 0.78),
    ]
    draw.polygon(tent, fill=(235, 235, 225), outline=(120, 120, 120))
    draw.ellipse([width * 0.78, height * 0.08, width * 0.86, height * 0.2], fill=(250, 225, 140))
    sky.save(path, "JPEG", quality=85)
    return path


def shoot(page: Page, name: str, *, full_page: bool = True, doc: str = "") -> Path:
    """Save a screenshot under test-artifacts/screenshots/ (gitignored).

    With ``NEWSROOM_DOC_SCREENSHOTS=1`` in the environment and a ``doc``
    name, a small copy of the visible part (palette PNG, at most 200 KB) is
    also written to docs/screenshots/, to refresh the README's pictures.
    """
    from tests.browser.conftest import ROOT, SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=full_page)
    if doc and os.environ.get("NEWSROOM_DOC_SCREENSHOTS") == "1":
        _doc_screenshot(page.screenshot(full_page=False), ROOT / "docs" / "screenshots" / doc)
    return path


DOC_SCREENSHOT_MAX_BYTES = 200 * 1024


def _doc_screenshot(png: bytes, target: Path) -> None:
    """Shrink a screenshot for the repository: fewer colours, then fewer pixels."""
    from PIL import Image

    target.parent.mkdir(parents=True, exist_ok=True)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    for colours, scale in ((256, 1.0), (128, 1.0), (128, 0.8), (64, 0.7), (64, 0.5)):
        scaled = image
        if scale != 1.0:
            scaled = image.resize(
                (int(image.width * scale), int(image.height * scale)), Image.Resampling.LANCZOS
            )
        buffer = io.BytesIO()
        scaled.quantize(colors=colours, method=Image.Quantize.MEDIANCUT).save(
            buffer, "PNG", optimize=True
        )
        if buffer.tell() <= DOC_SCREENSHOT_MAX_BYTES:
            break
    target.write_bytes(buffer.getvalue())

"""Issue 12, item 12 in a real browser: a writer imports a media update in the admin.

She finds "Import releases" on the import records list, uploads a bulletin,
reads every parsed field in the preview, corrects a summary, accepts a
suggested tag and imports. Then the same bulletin arrives again as a Word
file: the preview says each release is already in the newsroom, links to it,
and skipping (the default) writes nothing.

The bulletin is the project's own sample (tests/samples), as .txt and then
retyped into Word; no shared seed is needed.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import Page, expect
from taggit.models import Tag

from importer.models import ImportRecord
from releases.models import PressRelease
from releases.roles import WRITER, sync_roles
from tests.browser.support import login_admin, shoot
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "karachi_water_cp1252.txt"
FIRST_TITLE = "New desalination plant to supply 40,000 homes in Karachi"
SECOND_TITLE = "Harbour clean-up volunteers collect 3 tonnes of plastic"
CORRECTED = "Karachi's new desalination plant will supply about 40,000 homes by the year's end."


def as_docx(text: str) -> bytes:
    """The bulletin retyped into Word, one paragraph per line."""
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def writer():
    sync_roles(apps)  # transaction tests start from a flushed database
    user = UserFactory(username="wanda", is_staff=True)
    user.groups.add(Group.objects.get(name=WRITER))
    Tag.objects.create(name="Recycling", slug="recycling")
    Tag.objects.create(name="Elections", slug="elections")
    return user


def open_import_from_the_records_list(page: Page) -> None:
    page.goto(reverse("admin:importer_importrecord_changelist"))
    link = page.get_by_role("link", name="Import releases")
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", name="Import releases")).to_be_visible()


def upload(page: Page, name: str, data: bytes, mime: str) -> None:
    page.get_by_label("File").set_input_files({"name": name, "mimeType": mime, "buffer": data})
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name=re.compile(r"Releases found"))).to_be_visible()


def test_writer_imports_a_bulletin_then_is_warned_of_the_same_one_in_word(page: Page, writer):
    login_admin(page, "wanda")
    open_import_from_the_records_list(page)
    text = SAMPLE.read_bytes().decode("cp1252")
    upload(page, "media-update.txt", text.encode(), "text/plain")

    first, second = page.locator(".import-release").nth(0), page.locator(".import-release").nth(1)
    # Every parsed field is on screen, in a field the writer can correct.
    expect(first.get_by_label("Title", exact=True)).to_have_value(FIRST_TITLE)
    expect(first.get_by_label("Dateline place", exact=True)).to_have_value("Karachi")
    expect(first.get_by_label("Dateline date", exact=True)).to_have_value("2024-05-12")
    expect(first.get_by_label("Summary", exact=True)).to_have_value(
        re.compile(r"^The Coastal Water Authority")
    )
    expect(first.get_by_label("Body", exact=True)).to_have_value(
        re.compile(r"solar power during the day")
    )
    expect(
        first.get_by_role("checkbox", name=re.compile(r"Coastal Water Authority"))
    ).to_be_checked()
    expect(first.get_by_label("Name", exact=True)).to_have_value("Faisal Qureshi")
    expect(first.get_by_label("Email", exact=True)).to_have_value("fqureshi@cwa.example.org")
    expect(first.get_by_label("Other tags", exact=True)).to_be_visible()
    # A tag of the newsroom found in the text is offered, not ticked.
    chip = second.get_by_role("checkbox", name="Recycling")
    expect(chip).not_to_be_checked()
    expect(page.get_by_role("checkbox", name="Elections")).to_have_count(0)

    first.get_by_label("Summary", exact=True).fill(CORRECTED)
    chip.check()
    expect(chip).to_be_checked()
    second.get_by_label("Title", exact=True).scroll_into_view_if_needed()
    shoot(page, "import-preview")
    page.get_by_role("button", name="Confirm and import as drafts").click()

    expect(page.locator(".messagelist")).to_contain_text("2 draft releases created")
    plant = PressRelease.objects.get(title=FIRST_TITLE)
    assert plant.summary == CORRECTED and plant.dateline_place == "Karachi"
    harbour = PressRelease.objects.get(title=SECOND_TITLE)
    assert list(harbour.tags.names()) == ["Recycling"]

    # The same bulletin again, as a Word file.
    open_import_from_the_records_list(page)
    upload(page, "media-update.docx", as_docx(text), "application/octet-stream")
    warning = page.locator(".import-release").nth(0).get_by_role("alert")
    expect(warning).to_contain_text("This looks like a release already in the newsroom")
    link = warning.get_by_role("link", name=FIRST_TITLE)
    expect(link).to_have_attribute(
        "href", reverse("admin:releases_pressrelease_change", args=[plant.pk])
    )
    skip = page.locator(".import-release").nth(0).get_by_role("radio", name=re.compile(r"^Skip it"))
    expect(skip).to_be_checked()
    expect(page.locator(".import-release").nth(1).get_by_role("alert")).to_contain_text(
        SECOND_TITLE
    )
    shoot(page, "import-duplicate", full_page=False)
    # The link leads to the release already there, with the corrected summary
    # (opened in a new tab, as one checks before deciding).
    with page.context.expect_page() as opened:
        link.click(modifiers=["Control"])
    existing = opened.value
    existing.wait_for_load_state()
    expect(existing.locator("#id_summary")).to_have_value(CORRECTED)
    existing.close()

    page.get_by_role("button", name="Confirm and import as drafts").click()
    expect(page.locator(".messagelist")).to_contain_text("Nothing imported")
    assert PressRelease.objects.count() == 2 and ImportRecord.objects.count() == 1

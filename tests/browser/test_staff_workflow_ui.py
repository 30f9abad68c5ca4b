"""Issue 12, items 1, 2, 10 and 11, done in Chromium as comms staff would do them.

* A publisher withdraws a release: the red button is visible, leads to a page
  saying what will happen, the explanation is typed there, and the public
  page then says it was withdrawn.  Cancel changes nothing.
* A writer edits the summary and presses "Submit for review": the edit is
  kept.  A form the server refuses changes no state.  Leaving a changed form
  asks first (the ``beforeunload`` dialog).
* The read-only view, the history and the comparison read as text; the
  title and body fields are wide; the list of releases fits 1280 px.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Dialog, Page, expect

from releases.models import AuditLogEntry, PressRelease
from releases.roles import CONTACTS_MANAGER, PUBLISHER, WRITER
from tests.browser.support import login_admin, shoot
from tests.factories import OrganisationFactory, PressReleaseFactory
from tests.workflow.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Status = PressRelease.Status
RED = "rgb(186, 33, 33)"


def change_url(release: PressRelease) -> str:
    return reverse("admin:releases_pressrelease_change", args=[release.pk])


def live_release(**kwargs) -> PressRelease:
    values = {
        "title": "Clean water reaches 40 villages in Tharparkar",
        "summary": "Forty villages now have a hand pump within walking distance.",
        "body": "<p>Forty villages in Tharparkar now have clean water.</p>"
        "<p>Each pump serves about <strong>300 families</strong>.</p>",
        "publish_at": timezone.now() - datetime.timedelta(hours=2),
    }
    values.update(kwargs)
    values.setdefault("organisations", [OrganisationFactory()])
    return PressReleaseFactory(**values)


# ---------------------------------------------------------------------------
# Item 1: destructive transitions ask first, with a visible button
# ---------------------------------------------------------------------------


def test_publisher_withdraws_a_release_after_reading_what_will_happen(page: Page):
    make_user(PUBLISHER, "petra")
    release = live_release()
    login_admin(page, "petra")
    page.goto(change_url(release))

    button = page.get_by_role("button", name="Withdraw…")
    expect(button).to_be_visible()
    # A real red button with white text, not white text on nothing.
    assert button.evaluate("el => getComputedStyle(el).backgroundColor") == RED
    assert button.evaluate("el => getComputedStyle(el).color") == "rgb(255, 255, 255)"
    shoot(page, "staff-withdraw-button", full_page=False)

    # First thoughts: cancel changes nothing.
    button.click()
    expect(page.locator("h1")).to_have_text("Withdraw: are you sure?")
    page.get_by_role("link", name="No, take me back").click()
    expect(page.locator(".wf-state")).to_have_text("Published")
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED

    page.get_by_role("button", name="Withdraw…").click()
    confirm = page.locator("#content-main")
    expect(confirm).to_contain_text(release.title)
    expect(confirm).to_contain_text("Status now")
    expect(confirm.locator(".wf-consequence")).to_contain_text(
        "disappears from the newsroom's lists, search"
    )
    expect(confirm.locator(".wf-consequence")).to_contain_text("says it was withdrawn")
    note = page.get_by_label("Public explanation (shown on the page) (required)")
    expect(note).to_have_attribute("required", "")
    shoot(page, "staff-confirm-withdraw", doc="admin-confirm-withdraw.png")

    note.fill("The figures for Umerkot were wrong; a corrected release follows.")
    page.get_by_role("button", name="Yes, withdraw").click()
    expect(page.locator(".messagelist")).to_contain_text("Withdraw: done.")
    expect(page.locator(".wf-state")).to_have_text("Withdrawn")
    release.refresh_from_db()
    assert release.status == Status.WITHDRAWN

    page.goto(release.get_absolute_url())
    expect(page.locator("body")).to_contain_text("The figures for Umerkot were wrong")
    shoot(page, "staff-withdrawn-public-page")


def test_force_publish_asks_for_a_reason_on_its_own_page(page: Page):
    petra = make_user(PUBLISHER, "petra")
    # Petra wrote it herself: the two-person rule closes "Publish now" to her.
    release = live_release(status=Status.APPROVED, publish_at=None, created_by=petra)
    login_admin(page, "petra")
    page.goto(change_url(release))
    expect(page.get_by_role("button", name="Publish now", exact=True)).to_have_count(0)
    link = page.get_by_role("link", name="Force publish…")
    expect(link).to_be_visible()
    assert link.evaluate("el => getComputedStyle(el).backgroundColor") == RED
    link.click()
    expect(page.locator(".wf-consequence")).to_contain_text("without a second person")
    expect(page.locator(".wf-consequence")).to_contain_text("needs a second look")
    shoot(page, "staff-confirm-force-publish")
    page.get_by_label("Why this cannot wait for a second person (required)").fill(
        "The minister announces it at noon; no other publisher is in today."
    )
    page.get_by_role("button", name="Yes, force publish").click()
    expect(page.locator(".messagelist")).to_contain_text("Force publish: done.")
    entry = AuditLogEntry.objects.get(release=release, action="force_publish")
    assert entry.needs_second_look


# ---------------------------------------------------------------------------
# Item 2: nothing typed is lost
# ---------------------------------------------------------------------------


def test_writer_edits_the_summary_and_submits_and_the_edit_is_kept(page: Page):
    wanda = make_user(WRITER, "wanda")
    release = live_release(status=Status.DRAFT, publish_at=None, created_by=wanda)
    login_admin(page, "wanda")
    page.goto(change_url(release))
    summary = page.locator("#id_summary")
    summary.fill("Forty villages in Tharparkar now have a hand pump less than a kilometre away.")
    page.get_by_label("Note to the editor").fill("Summary tightened; ready.")
    page.get_by_role("button", name="Submit for review", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Submit for review: done.")
    expect(page.locator(".messagelist")).to_contain_text("Your changes were saved first.")
    expect(page.locator(".wf-state")).to_have_text("In review")
    shoot(page, "staff-submit-keeps-edit")
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW
    assert release.summary.startswith("Forty villages in Tharparkar now have a hand pump less")


def test_a_refused_save_changes_no_state_and_shows_the_error(page: Page):
    wanda = make_user(WRITER, "wanda")
    release = live_release(status=Status.DRAFT, publish_at=None, created_by=wanda)
    login_admin(page, "wanda")
    page.goto(change_url(release))
    page.locator("#id_slug").fill("not a valid slug!")
    page.get_by_role("button", name="Submit for review", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".messagelist")).to_contain_text("“Submit for review” was not done")
    expect(page.locator(".field-slug .errorlist")).to_be_visible()
    # What was typed is still in the form.
    expect(page.locator("#id_slug")).to_have_value("not a valid slug!")
    shoot(page, "staff-submit-refused-form")
    release.refresh_from_db()
    assert release.status == Status.DRAFT


def test_leaving_a_changed_form_asks_first(page: Page):
    wanda = make_user(WRITER, "wanda")
    release = live_release(status=Status.DRAFT, publish_at=None, created_by=wanda)
    login_admin(page, "wanda")
    page.goto(change_url(release))
    dialogs: list[str] = []

    def stay(dialog: Dialog) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()  # "Stay on page"

    page.on("dialog", stay)
    page.locator("#id_summary").fill("A half-written new summary")
    page.locator(".breadcrumbs a").first.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    expect(page).to_have_url(re.compile(re.escape(change_url(release)) + "$"))
    expect(page.locator("#id_summary")).to_have_value("A half-written new summary")
    shoot(page, "staff-leave-warning-stayed")

    # Saving is not leaving: no question, and the edit is kept.
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")
    assert dialogs == ["beforeunload"]
    # An unchanged form lets the person go without a question.
    page.locator(".breadcrumbs a").first.click()
    expect(page).to_have_url(re.compile(re.escape(reverse("admin:index")) + "$"))
    assert dialogs == ["beforeunload"]


# ---------------------------------------------------------------------------
# Item 10: readable staff views
# ---------------------------------------------------------------------------


def test_a_colleague_without_edit_rights_reads_the_release_as_text(page: Page):
    make_user(CONTACTS_MANAGER, "connie")
    release = live_release(tags=["Water", "Health care"])
    login_admin(page, "connie")
    page.goto(change_url(release))
    body = page.locator(".field-body_rendered")
    expect(body).to_contain_text("Forty villages in Tharparkar now have clean water.")
    expect(body).not_to_contain_text("<p>")
    expect(body.locator("strong")).to_have_text("300 families")
    expect(page.locator(".wf-tags li")).to_have_text(["Health care", "Water"])
    shoot(page, "staff-read-only-release")


def test_history_and_comparison_read_as_plain_words(page: Page):
    petra = make_user(PUBLISHER, "petra")
    release = live_release(created_by=petra)
    login_admin(page, "petra")
    page.goto(change_url(release))
    page.locator("#id_summary").fill("Forty-two villages now have a hand pump.")
    page.get_by_label("Yes — readers need to know: a public change note is added").check()
    page.get_by_label("Change note (public)").fill("Corrected the number of villages.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")
    page.locator("#id_summary").fill("Forty-two villages now have a hand pump nearby.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")

    page.goto(reverse("admin:releases_pressrelease_history", args=[release.pk]))
    expect(page.locator("#content-main")).to_contain_text(
        "Changed the summary; marked as a major change (“Corrected the number of villages.”)."
    )
    page.get_by_role("button", name="Compare selected revisions").click()
    table = page.locator(".wf-compare")
    expect(table).to_contain_text("Forty villages in Tharparkar now have clean water.")
    expect(table).not_to_contain_text("<p>")
    expect(table.locator("ins")).to_contain_text(["nearby."])
    shoot(page, "staff-compare-revisions")


def test_the_title_and_body_fields_are_a_writing_area(page: Page):
    wanda = make_user(WRITER, "wanda")
    release = live_release(status=Status.DRAFT, publish_at=None, created_by=wanda)
    login_admin(page, "wanda")
    page.goto(change_url(release))
    title = page.locator("#id_title").bounding_box()
    editor = page.locator(".field-body .ProseMirror[contenteditable=true]").bounding_box()
    assert title and title["width"] >= 600, title
    assert editor and editor["height"] >= 300 and editor["width"] >= 600, editor
    page.locator("#id_tags").scroll_into_view_if_needed()
    shoot(page, "staff-release-form")


# ---------------------------------------------------------------------------
# Item 11: the list fits 1280 px
# ---------------------------------------------------------------------------


def test_the_release_list_fits_a_1280_px_screen(page: Page):
    make_user(PUBLISHER, "petra")
    org = OrganisationFactory(
        name="National Disaster Management Authority and Provincial Partners", acronym="NDMA"
    )
    for n in range(6):
        live_release(
            title=f"Provincial authorities announce the second phase of flood relief "
            f"for families in the districts of Dadu, Jacobabad and Larkana ({n})",
            organisations=[org],
        )
    login_admin(page, "petra")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(reverse("admin:releases_pressrelease_changelist"))
    cell = page.locator("#result_list tbody th.field-title").first
    line = float(cell.evaluate("el => parseFloat(getComputedStyle(el).lineHeight) || 16"))
    height = cell.bounding_box()["height"]
    assert height <= 3.5 * line + 12, f"a title takes {height / line:.1f} lines"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    shoot(page, "staff-release-list-1280")


# ---------------------------------------------------------------------------
# Item 10: "lead image" is the picture at the top of the public page
# ---------------------------------------------------------------------------


def test_the_lead_image_is_the_picture_at_the_top_of_the_release(page: Page, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.browser.support import make_photo
    from tests.factories import ReleaseImageFactory

    release = live_release()
    photo = make_photo(tmp_path / "pump.jpg", size=(1200, 800)).read_bytes()
    ReleaseImageFactory(
        release=release,
        image=SimpleUploadedFile("crowd.jpg", photo, content_type="image/jpeg"),
        caption="Villagers at the opening ceremony.",
        order=0,
    )
    ReleaseImageFactory(
        release=release,
        image=SimpleUploadedFile("pump.jpg", photo, content_type="image/jpeg"),
        caption="A girl fills a jerrycan at the new hand pump.",
        alt_text="A girl fills a yellow jerrycan at a hand pump",
        is_lead=True,
        order=1,
    )
    page.goto(release.get_absolute_url())
    main = page.locator(".release__main")
    first_figure = main.locator("figure").first
    expect(first_figure).to_contain_text("A girl fills a jerrycan at the new hand pump.")
    # At the top: above the text of the release, not after it.
    figure_top = first_figure.bounding_box()["y"]
    body_top = main.locator(".release__body").bounding_box()["y"]
    assert figure_top < body_top
    # Shown once; the other picture is in the gallery below the text.
    expect(main.get_by_text("A girl fills a jerrycan at the new hand pump.")).to_have_count(1)
    expect(main.locator(".release-gallery")).to_contain_text("Villagers at the opening ceremony.")
    shoot(page, "staff-lead-image-public-page", full_page=False)

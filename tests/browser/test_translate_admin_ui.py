"""Translate in the admin, in Chromium: the button is visible beside the
workflow panel, makes the Urdu draft and opens it; the draft's own workflow
buttons work; unsaved edits of the source are guarded before leaving."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Dialog, Page, expect

from releases.models import PressRelease
from releases.roles import EDITOR
from tests.browser.support import login_admin
from tests.factories import OrganisationFactory, PressReleaseFactory
from tests.workflow.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def change_url(release: PressRelease) -> str:
    return reverse("admin:releases_pressrelease_change", args=[release.pk])


def test_editor_translates_a_release_and_submits_the_draft(page: Page):
    editor = make_user(EDITOR, "erum")
    source = PressReleaseFactory(
        title="Clean water reaches 40 villages in Tharparkar",
        organisations=[OrganisationFactory()],
        publish_at=timezone.now() - datetime.timedelta(hours=2),
    )
    login_admin(page, "erum")
    page.goto(change_url(source))

    button = page.get_by_role("button", name="Translate into اردو")
    expect(button).to_be_visible()
    # The workflow panel is still there, its buttons too.
    expect(page.locator(".wf-state")).to_have_text("Published")

    # Unsaved edits of the source are not lost silently: leaving asks first.
    page.locator("#id_summary").fill("An edit not yet saved.")
    asked: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", dismiss)
    button.click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert not PressRelease.objects.filter(language="ur").exists()

    page.goto(change_url(source))  # reload, edits discarded on purpose
    page.get_by_role("button", name="Translate into اردو").click()
    made = PressRelease.objects.get(language="ur")
    expect(page).to_have_url(f"http://{page.url.split('/')[2]}{change_url(made)}")
    expect(page.locator(".messagelist")).to_contain_text("A draft in اردو was made")
    expect(page.locator(".tr-versions")).to_contain_text(source.title)

    # The draft's own workflow: translate the title, then submit it.
    page.locator("#id_title").fill("تھرپارکر کے 40 دیہات میں صاف پانی پہنچ گیا")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".wf-state")).to_contain_text("In review")
    made.refresh_from_db()
    assert made.status == PressRelease.Status.IN_REVIEW
    assert made.title == "تھرپارکر کے 40 دیہات میں صاف پانی پہنچ گیا"
    assert made.created_by == editor

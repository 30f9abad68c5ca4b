"""Previews show their pictures; RSS links open a page for people (issue 12, items 5 and 14).

* A writer opens the staff preview of an embargoed release from the admin and
  sees its picture actually loaded, and "Download high resolution" downloads
  the original; a partner with a shareable link sees the same.  The same
  picture addresses opened by anyone else (a fresh browser, no sign-in, no
  link, or after the link is revoked) fail, and the public ones stay shut.
* On a phone, the RSS link opens the "News feeds" page, not a screen of XML.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from releases import workflow
from releases.file_urls import FileUrls
from releases.models import PressRelease, ReleaseAttachment, ReleaseImage
from releases.roles import PUBLISHER, WRITER, sync_roles
from tests.browser.conftest import PHONE
from tests.browser.support import login_admin, make_photo, shoot
from tests.factories import OrganisationFactory, PressReleaseFactory, UserFactory
from tests.files.support import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Mobile clinics reach flood-hit villages near Kharotabad"


@pytest.fixture
def staff():
    sync_roles(apps)
    people = {}
    for username, role in (("wanda", WRITER), ("petra", PUBLISHER)):
        user = UserFactory(username=username, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        people[role] = user
    return people


@pytest.fixture
def embargoed(staff, tmp_path) -> PressRelease:
    """A scheduled release (embargo tomorrow) with a real photograph and a PDF."""
    release = PressReleaseFactory(
        title=TITLE,
        summary="Six mobile clinics treated 4,000 people in their first week.",
        created_by=staff[WRITER],
        organisations=[OrganisationFactory(name="Provincial Health Department")],
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )
    photo = make_photo(tmp_path / "clinic.jpg")
    ReleaseImage.objects.create(
        release=release,
        image=SimpleUploadedFile("clinic.jpg", photo.read_bytes(), content_type="image/jpeg"),
        alt_text="A nurse checks a child's temperature in a tent clinic",
        caption="A mobile clinic near Kharotabad.",
        credit="© Provincial Health Department",
        usage_terms="Free to use with credit.",
        is_lead=True,
    )
    ReleaseAttachment.objects.create(
        release=release, title="Clinic schedule", file=ContentFile(pdf_bytes(), name="s.pdf")
    )
    return release


def lead_picture_loaded(page: Page) -> dict:
    """What the browser made of the lead picture: loaded? how wide? from where?"""
    img = page.locator(".release-figure--lead img")
    expect(img).to_be_visible()
    img.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const i = document.querySelector('.release-figure--lead img');"
        " return i && i.complete; }"
    )
    return img.evaluate(
        "i => ({complete: i.complete, naturalWidth: i.naturalWidth, src: i.currentSrc})"
    )


def download_high_resolution(page: Page, original: bytes) -> None:
    with page.expect_download() as info:
        page.get_by_role("link", name="Download high resolution").first.click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".jpg")
    assert Path(download.path()).read_bytes() == original


def test_writer_and_partner_see_the_pictures_of_an_embargoed_release(
    page, new_page, live_server, staff, embargoed
):
    original = embargoed.images.get().image.read()
    # The writer opens the preview from the release's admin page.
    login_admin(page, "wanda")
    page.goto(reverse("admin:releases_pressrelease_change", args=[embargoed.pk]))
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Preview", exact=True).click()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.locator(".preview-banner")).to_contain_text("Preview — not public")
    expect(preview.get_by_role("heading", level=1)).to_have_text(TITLE)
    picture = lead_picture_loaded(preview)
    assert picture["naturalWidth"] > 0, picture
    assert f"/preview/staff/{embargoed.pk}/files/" in picture["src"]
    expect(preview.get_by_role("link", name="Clinic schedule")).to_be_visible()
    download_high_resolution(preview, original)
    shoot(preview, "preview-pictures")
    staff_src = picture["src"]

    # A partner opens the shareable link, in a browser of their own.
    link = workflow.create_preview_link(embargoed, staff[PUBLISHER])
    partner = new_page()
    partner.goto(link.get_absolute_url())
    expect(partner.locator(".preview-banner")).to_contain_text("This link works until")
    picture = lead_picture_loaded(partner)
    assert picture["naturalWidth"] > 0, picture
    assert f"/preview/{link.token}/files/" in picture["src"]
    download_high_resolution(partner, original)
    shoot(partner, "preview-pictures-link", full_page=False)
    link_src = picture["src"]

    # Anyone else, in a fresh browser: the staff address, the public address.
    stranger = new_page()
    public = FileUrls.public(embargoed).image(embargoed.images.get(), "web")
    for address in (staff_src, live_server.url + public):
        response = stranger.goto(address)
        assert response is not None and response.status == 404, address
    # The partner's own address dies with the link.
    workflow.revoke_preview_link(link, staff[PUBLISHER])
    response = stranger.goto(link_src)
    assert response is not None and response.status == 404
    partner.reload()
    expect(partner.get_by_role("heading", level=1)).not_to_have_text(TITLE)


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_on_a_phone_the_rss_link_opens_a_page_for_people(page, live_server, viewport):
    PressReleaseFactory(title=TITLE)
    page.goto("/")
    page.get_by_role("link", name="RSS or Atom feed").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("News feeds")
    expect(page.get_by_role("heading", name="What is a feed reader?")).to_be_visible()
    rss = page.get_by_label("RSS").first
    expect(rss).to_be_visible()
    assert rss.input_value().endswith("/feeds/releases.rss")
    # The address on the page is the feed itself, for the reader app.
    response = page.request.get(urlsplit(rss.input_value()).path)
    assert response.status == 200
    assert b"<rss" in response.body()
    expect(page.get_by_role("link", name="Get new press releases by e-mail")).to_be_visible()
    # Nothing runs off the side of a phone screen, and axe finds nothing serious.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    violations = Axe().run(page).response["violations"]
    assert not [v for v in violations if v["impact"] in {"serious", "critical"}], violations
    shoot(page, "feeds-human")


def test_the_browser_finds_the_favicon(page, live_server):
    response = page.goto("/favicon.ico")
    assert response is not None and response.status == 200
    assert response.headers["content-type"] in {"image/x-icon", "image/vnd.microsoft.icon"}

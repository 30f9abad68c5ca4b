"""End-to-end: a journalist on deadline, in a real browser, without an account.

They search, narrow the results by organisation with a facet link, open the
release, save a press officer's contact card to their phone (vCard) and take
the pictures with their credits (media kit ZIP), the way a person does it:
by clicking links and receiving downloads.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
import vobject
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from playwright.sync_api import Page, expect

from releases.models import PressRelease
from tests.browser.support import make_photo, shoot
from tests.factories import ReleaseImageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRAINING = "iom-pakistan-and-fia-train-stakeholders-against-trafficking"


@pytest.fixture
def demo(tmp_path) -> dict:
    """The demo newsroom (manage.py load_demo), with a picture on the training release."""
    call_command("load_demo", verbosity=0)
    release = PressRelease.objects.get(slug=TRAINING)
    photo = make_photo(tmp_path / "training-session.jpg")
    image = ReleaseImageFactory(
        release=release,
        image=SimpleUploadedFile("training-session.jpg", photo.read_bytes(), "image/jpeg"),
        alt_text="Officials in a classroom follow a presentation on victim identification",
        caption="A training session for members of an anti-trafficking committee.",
        credit="© IOM Pakistan 2023",
    )
    return {"release": release, "image": image, "photo": photo}


def download(page: Page, link_name: str | re.Pattern) -> tuple[str, bytes]:
    """Click a link that downloads a file; return the suggested name and the bytes."""
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    received = info.value
    path = received.path()
    assert received.failure() is None, received.failure()
    return received.suggested_filename, Path(path).read_bytes()


def test_journalist_searches_filters_opens_and_takes_contact_and_pictures(page, demo):
    page.goto("/")
    page.get_by_role("searchbox", name="Search press releases").fill("trafficking")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"/search/\?q=trafficking"))
    heading = page.locator("#results-heading")
    expect(heading).to_contain_text("for “trafficking”")
    everything = int(re.match(r"\d+", heading.inner_text()).group())
    assert everything >= 2

    # The "Organisation" facet: every choice is a plain link with its count.
    fia = page.locator(".facet-organisation a", has_text="Federal Investigation Agency")
    facet_count = int(
        re.search(r"\d+", fia.locator("xpath=following-sibling::span[1]").inner_text()).group()
    )
    assert 0 < facet_count < everything  # a filter that really narrows
    fia.click()
    expect(page).to_have_url(re.compile(r"[?&]organisation=fia"))
    expect(heading).to_contain_text(f"{facet_count} result")
    expect(page.locator(".active-filters")).to_contain_text("Federal Investigation Agency")
    expect(page.locator(".release-list > li")).to_have_count(facet_count)
    shoot(page, "e2e_journalist_search_filtered", doc="search-filters.png")

    release = demo["release"]
    page.get_by_role("link", name=release.title).click()
    expect(page).to_have_url(re.compile(re.escape(release.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(release.title)

    # The press officer's contact card, as a phone would import it.
    name, body = download(page, re.compile(r"Save contact \(vCard\) for Ramsha Nadeem"))
    assert name.endswith(".vcf")
    card = vobject.readOne(body.decode("utf-8"))
    assert card.fn.value == "Ramsha Nadeem"
    assert [e.value for e in card.contents["email"]] == ["rnadeem@iom.int"]

    # The media kit: the original picture, byte for byte, and who to credit.
    name, body = download(page, re.compile(r"Download all pictures with credits"))
    assert name == f"{release.slug}-media-kit.zip"
    with zipfile.ZipFile(io.BytesIO(body)) as kit:
        names = kit.namelist()
        image = demo["image"]
        assert sorted(names) == sorted([image.download_filename, "CREDITS.txt"])
        assert kit.read(image.download_filename) == demo["photo"].read_bytes()
        credits = kit.read("CREDITS.txt").decode("utf-8")
    assert "© IOM Pakistan 2023" in credits
    assert "A training session for members of an anti-trafficking committee." in credits

"""A tour of every public page at phone and desktop widths, with screenshots.

The pictures land in test-artifacts/screenshots/ (gitignored; CI keeps them
as artefacts) so a person can review the newsroom's look without running
it.  The tour also checks what a screenshot would show is broken: each page
answers 200 with its heading, loads its images, and does not scroll
sideways on a phone.  (The admin screens are taken by the editorial flow in
test_e2e_editorial.py, where a release really is scheduled.)
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from bulletins.models import Bulletin, BulletinItem
from contacts.models import Partnership
from newsroom.demo import SEED_RELEASE_SLUGS
from releases.models import PressRelease
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.support import make_photo, shoot
from tests.factories import ReleaseImageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOU = SEED_RELEASE_SLUGS[0]


@pytest.fixture
def demo(tmp_path) -> dict[str, str]:
    """The demo newsroom, a picture on the lead release and a bulletin; the tour's URLs."""
    call_command("load_demo", verbosity=0)
    release = PressRelease.objects.get(slug=MOU)
    for n, caption in enumerate(
        ("The memorandum is signed in Islamabad.", "Staff of both organisations after the signing.")
    ):
        photo = make_photo(tmp_path / f"signing-{n}.jpg")
        ReleaseImageFactory(
            release=release,
            image=SimpleUploadedFile(photo.name, photo.read_bytes(), "image/jpeg"),
            alt_text=f"Illustration for the signing, picture {n + 1}",
            caption=caption,
            credit="© IOM Pakistan 2023",
            order=n,
        )
    bulletin = Bulletin.objects.create(
        title="Media Update — 19 October 2023", date=datetime.date(2023, 10, 19)
    )
    for order, slug in enumerate(SEED_RELEASE_SLUGS):  # the two releases of that update
        BulletinItem.objects.create(
            bulletin=bulletin, release=PressRelease.objects.get(slug=slug), order=order
        )
    partnership = Partnership.objects.public().first()
    return {
        "home": reverse("home"),
        "list": reverse("search:release_list"),
        "release": release.get_absolute_url(),
        "search": reverse("search:search") + "?q=migrants",
        "organisations": reverse("releases:organisation_list"),
        "organisation": reverse("releases:organisation_detail", kwargs={"slug": "nchr"}),
        "contacts": reverse("contacts:contact_list"),
        "partnerships": reverse("contacts:partnership_list"),
        "partnership": partnership.get_absolute_url(),
        "bulletins": reverse("bulletins:list"),
        "bulletin": bulletin.get_absolute_url(),
        "api": reverse("api:index"),
    }


#: The pages copied, small, to docs/screenshots/ for the README.
DOC_SHOTS = {("home", "desktop"): "home-desktop.png", ("release", "phone"): "release-phone.png"}


#: Known layout bugs (page, width) -> why; the test fails when one is fixed,
#: so the entry is removed and the page is checked again like the others.
KNOWN_SIDEWAYS: dict[tuple[str, str], str] = {}

#: The outermost elements that stick out of the window on the right (what makes a phone scroll).
WIDER_THAN_THE_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const out = [...document.body.querySelectorAll('*')].filter(el => {
    const right = el.getBoundingClientRect().right;
    const parent = el.parentElement.getBoundingClientRect().right;
    return right > width + 1 && parent <= width + 1;
  });
  return out.slice(0, 5).map(el => el.tagName.toLowerCase()
    + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '')
    + ' (' + Math.round(el.getBoundingClientRect().right - width) + 'px)');
}"""


def visit(page: Page, name: str, url: str, width_name: str) -> list[str]:
    """Open a page, check it, take its picture; return what sticks out sideways."""
    response = page.goto(url)
    assert response is not None and response.status == 200, (name, url)
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    # Lazy pictures load when scrolled to; load them all, then look for broken ones.
    page.evaluate("() => document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; })")
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    broken = page.evaluate(
        "() => [...document.images].filter(i => i.naturalWidth === 0).map(i => i.src)"
    )
    assert not broken, (name, broken)
    too_wide = page.evaluate(WIDER_THAN_THE_SCREEN)
    shoot(page, f"public_{name}_{width_name}", doc=DOC_SHOTS.get((name, width_name), ""))
    return too_wide


def test_every_public_page_at_phone_and_desktop_width(new_page, demo):
    sideways = {}
    for width_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = new_page(viewport=viewport)
        for name, url in demo.items():
            if too_wide := visit(page, name, url, width_name):
                sideways[(name, width_name)] = too_wide
    unexpected = {k: v for k, v in sideways.items() if k not in KNOWN_SIDEWAYS}
    assert not unexpected, f"pages that scroll sideways (what sticks out): {unexpected}"
    fixed = set(KNOWN_SIDEWAYS) - set(sideways)
    assert not fixed, f"fixed, remove from KNOWN_SIDEWAYS: {fixed}"

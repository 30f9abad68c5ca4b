"""The Urdu edition in a real browser: right to left, Nastaliq, accessible,
and a language switcher that takes a reader to the translation (Chromium).

Screenshots of the Urdu release and list, at phone and desktop width, land in
test-artifacts/screenshots/; with NEWSROOM_DOC_SCREENSHOTS=1 the README's
copies in docs/screenshots/ are refreshed too.
"""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from releases.models import ReleaseContact
from tests.browser.conftest import DESKTOP, PHONE, VIEWPORTS
from tests.browser.support import shoot
from tests.factories import MediaContactFactory, OrganisationFactory, PressReleaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()
BLOCKING_IMPACTS = {"serious", "critical"}

URDU_BODY = (
    "<p>صوبائی ڈیزاسٹر مینجمنٹ اتھارٹی نے سیلاب سے متاثرہ اضلاع میں ہنگامی امداد کی تقسیم"
    " شروع کر دی ہے۔ پہلے مرحلے میں بارہ ہزار خاندانوں کو خوراک، پینے کا صاف پانی اور"
    " عارضی رہائش کا سامان فراہم کیا جا رہا ہے۔</p>"
    "<p>ترجمان کے مطابق نقل مکانی کرنے والے خاندانوں کے لیے امدادی کیمپ قائم کیے گئے ہیں"
    " جہاں طبی عملہ چوبیس گھنٹے موجود ہے۔</p>"
    "<h2>امداد کہاں ملے گی</h2>"
    "<p>متاثرین اپنے قریبی یونین کونسل دفتر سے رجوع کر سکتے ہیں۔</p>"
)


@pytest.fixture
def story():
    """One story in English and in Urdu (same translation key), with the
    English names a Pakistani newsroom really prints inside Urdu text."""
    organisation = OrganisationFactory(
        name="Provincial Disaster Management Authority", acronym="PDMA", slug="pdma"
    )
    contact = MediaContactFactory(organisation=organisation, name="Amina Rauf", job_title="")
    published = timezone.now() - datetime.timedelta(hours=3)
    english = PressReleaseFactory(
        language="en-gb",
        slug="relief-reaches-flood-hit-districts",
        title="Relief reaches families in flood-hit districts",
        summary="Food, water and shelter for 12,000 families in the first phase.",
        organisations=[organisation],
        tags=["floods"],
        publish_at=published,
    )
    urdu = PressReleaseFactory(
        language="ur",
        translation_key=english.translation_key,
        slug="sailab-zada-azla-mein-imdad",
        title="سیلاب زدہ اضلاع میں متاثرہ خاندانوں تک امداد پہنچ گئی",
        summary="پہلے مرحلے میں بارہ ہزار خاندانوں کے لیے خوراک، پانی اور عارضی رہائش۔",
        body=URDU_BODY,
        dateline_place="لاہور",
        dateline_date=datetime.date(2026, 12, 3),
        organisations=[organisation],
        tags=["سیلاب", "ہنگامی امداد"],
        publish_at=published,
    )
    for release in (english, urdu):
        ReleaseContact.objects.create(
            release=release, contact=contact, role=ReleaseContact.Role.MEDIA, order=0
        )
    PressReleaseFactory(
        language="ur",
        slug="pani-ki-farahmi",
        title="متاثرہ علاقوں میں پینے کے صاف پانی کی فراہمی بحال",
        summary="چالیس واٹر فلٹریشن پلانٹس دوبارہ فعال کر دیے گئے۔",
        organisations=[organisation],
        publish_at=published - datetime.timedelta(days=1),
    )
    return english, urdu


def blocking_violations(page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


def assert_mirrored(page, viewport) -> None:
    """Right to left without a second stylesheet: the direction is inherited,
    text starts at the right, and the header and navigation start there too."""
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ur")
    paragraph = page.locator("main p").first
    assert paragraph.evaluate("p => getComputedStyle(p).direction") == "rtl"
    assert paragraph.evaluate("p => getComputedStyle(p).textAlign") in ("start", "right")
    # The first navigation link sits at the right-hand edge of the page.
    first = page.locator(".site-nav__list li").first.bounding_box()
    container = page.locator(".site-nav__list").bounding_box()
    assert first and container
    assert abs((first["x"] + first["width"]) - (container["x"] + container["width"])) < 30
    assert first["x"] > viewport["width"] / 2
    # The site's name (the first thing in the header) is at the right too.
    brand = page.locator(".site-header__brand").bounding_box()
    assert brand and brand["x"] + brand["width"] > viewport["width"] * 0.6
    # The Nastaliq font is loaded (only here: the stylesheet is linked on Urdu pages).
    assert page.evaluate(
        "async () => { await document.fonts.ready;"
        " return document.fonts.check('16px \"Noto Nastaliq Urdu\"', 'اردو'); }"
    )
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"scrolls sideways by {overflow}px"


@VIEWPORTS
def test_the_urdu_release_page_reads_right_to_left(page, story, viewport, console):
    _english, urdu = story
    page.goto(urdu.get_absolute_url())
    expect(page.locator("h1")).to_have_text(urdu.title)
    expect(page.locator(".release__dateline")).to_contain_text("لاہور، 3 دسمبر 2026")
    assert_mirrored(page, viewport)
    # An English name inside the Urdu page is isolated, not reordered.
    expect(page.locator(".contact__name bdi")).to_have_text("Ms. Amina Rauf")
    # The browser here prefers English: the page offers it, once; dismissed.
    page.locator(".language-suggestion button").click()
    size = "phone" if viewport == PHONE else "desktop"
    shoot(page, f"urdu-release-{size}", doc=f"urdu-release-{size}.png")
    assert blocking_violations(page) == []
    console.assert_no_csp_violations()


@VIEWPORTS
def test_the_urdu_release_list_reads_right_to_left(page, story, viewport, console):
    page.goto("/ur/releases/")
    expect(page.locator("h1")).to_have_text("پریس ریلیزیں")
    expect(page.locator(".release-card").first).to_be_visible()
    assert_mirrored(page, viewport)
    page.locator(".language-suggestion button").click()
    size = "phone" if viewport == PHONE else "desktop"
    shoot(page, f"urdu-list-{size}", doc=f"urdu-list-{size}.png")
    assert blocking_violations(page) == []


def test_the_switcher_on_an_english_release_opens_its_urdu_translation(page, story):
    english, urdu = story
    page.goto(english.get_absolute_url())
    switcher = page.get_by_role("navigation", name="Language")
    expect(switcher.locator('[aria-current="page"]')).to_have_text("English")
    switcher.get_by_role("link", name="اردو").click()
    page.wait_for_url(f"**{urdu.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text(urdu.title)
    # And back again, from the Urdu page's switcher (named in Urdu).
    page.get_by_role("navigation", name="زبان").get_by_role("link", name="English").click()
    page.wait_for_url(f"**{english.get_absolute_url()}")


def test_an_untranslated_release_says_so_and_offers_the_urdu_home(page):
    release = PressReleaseFactory(language="en-gb", slug="english-only")
    page.goto(release.get_absolute_url())
    link = page.get_by_role("navigation", name="Language").locator('a[hreflang="ur"]')
    expect(link).to_contain_text("(ترجمہ دستیاب نہیں)")
    expect(link).to_have_attribute("href", "/ur/")


def test_a_reader_whose_browser_prefers_urdu_is_offered_the_urdu_edition(
    browser, live_server, new_page, story
):
    english, urdu = story
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="ur-PK")
    page = context.new_page()
    page.goto(english.get_absolute_url())
    offer = page.locator(".language-suggestion")
    expect(offer).to_be_visible()
    expect(offer).to_have_attribute("lang", "ur")
    expect(offer.get_by_role("link")).to_have_text("یہ نیوز روم اردو میں بھی دستیاب ہے")
    expect(offer.get_by_role("link")).to_have_attribute("href", urdu.get_absolute_url())
    offer.get_by_role("button", name="نہیں، شکریہ").click()
    expect(offer).to_have_count(0)
    page.reload()
    page.wait_for_load_state("load")
    expect(page.locator(".language-suggestion")).to_have_count(0)  # remembered
    # A reader whose browser prefers English sees no offer on an English page.
    context.close()
    other = new_page(viewport=DESKTOP)
    other.goto(english.get_absolute_url())
    other.wait_for_load_state("load")
    expect(other.locator(".language-suggestion")).to_have_count(0)

"""The Urdu edition reads in Urdu, right to left, with no English left in its interface.

Pages are rendered with Urdu content (a release written in Urdu) and English
names where a newsroom really has them (organisations, people: marked with
``<bdi>`` or ``lang="en"``); every other word a reader sees must be Urdu.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings

from releases.models import ReleaseContact
from tests.factories import MediaContactFactory, OrganisationFactory, PressReleaseFactory

pytestmark = pytest.mark.django_db

#: Latin-script words an Urdu page may show: names of formats and keys, the
#: zone abbreviation of a time, the site's own name.
ALLOWED = {"RSS", "Atom", "vCard", "API", "ZIP", "Ctrl", "PKT", "UTC", "Feedly", "Inoreader"}
ALLOWED |= set(re.findall(r"[A-Za-z]+", settings.NEWSROOM_SITE_NAME))
#: What the reader does not read as text, and what is rightly in another
#: language: names in <bdi>, passages marked lang="en…" (an organisation's
#: "About" text is written once, in the default language).
SKIPPED = {"script", "style", "bdi", "code", "kbd", "pre"}
CHECKED_ATTRIBUTES = ("aria-label", "alt", "placeholder")


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # True where text is exempt
        self.words: list[str] = []

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "wbr",
    }

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        exempt = (self.stack and self.stack[-1]) or tag in SKIPPED
        exempt = exempt or (attrs.get("lang") or "").lower().startswith("en")
        # An explicit left-to-right run (an address, a URL) or a name of
        # unknown direction (dir="auto", where <bdi> cannot go: <option>).
        exempt = exempt or (tag != "html" and attrs.get("dir") in ("ltr", "auto"))
        if not exempt:
            for name in CHECKED_ATTRIBUTES:
                if attrs.get(name):
                    self.words += re.findall(r"[A-Za-z]{2,}", attrs[name])
            if tag == "meta" and attrs.get("name") == "description":
                self.words += re.findall(r"[A-Za-z]{2,}", attrs.get("content") or "")
        if tag not in self.VOID:
            self.stack.append(bool(exempt))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.words += re.findall(r"[A-Za-z]{2,}", data)


def english_words(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return [w for w in parser.words if w not in ALLOWED]


@pytest.fixture
def urdu_release():
    organisation = OrganisationFactory(name="Relief Agency", acronym="RA", slug="relief-agency")
    release = PressReleaseFactory(
        language="ur",
        slug="sailab-mutasirin",
        title="سیلاب سے متاثرہ خاندانوں کے لیے امداد",
        summary="ہنگامی امداد کی تقسیم کا آغاز۔",
        body="<p>متاثرہ اضلاع میں خوراک اور پانی کی فراہمی شروع کر دی گئی ہے۔</p>",
        dateline_place="اسلام آباد",
        tags=["ہنگامی امداد"],
        organisations=[organisation],
    )
    contact = MediaContactFactory(organisation=organisation, name="Sara Khan", job_title="")
    ReleaseContact.objects.create(
        release=release, contact=contact, role=ReleaseContact.Role.MEDIA, order=0
    )
    return release


@pytest.mark.parametrize(
    "path",
    [
        "/ur/",
        "/ur/releases/sailab-mutasirin/",
        "/ur/contacts/",
        "/ur/organisations/",
        "/ur/bulletins/",
    ],
)
def test_urdu_pages_are_right_to_left_and_have_no_english_interface(client, urdu_release, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ur" dir="rtl">' in html
    assert "css/rtl-fonts" in html  # the Nastaliq font, on Urdu pages only
    assert english_words(html) == []


def test_urdu_error_page_is_in_urdu(client):
    response = client.get("/ur/releases/no-such-release/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "صفحہ نہیں ملا" in html
    assert english_words(html) == []


def test_the_urdu_list_and_search_keep_only_the_facet_names_of_the_search_app(client, urdu_release):
    """The facet headings ("Topic", "Year"…) come from search/filters.py,
    which the search branch translates; everything else is Urdu here."""
    for path in ("/ur/releases/", "/ur/search/?q=%D8%B3%DB%8C%D9%84%D8%A7%D8%A8"):
        html = client.get(path).content.decode()
        html = re.sub(r'<h3 class="facet__title"[^>]*>[^<]*</h3>', "", html)
        html = re.sub(r'<span class="chip__kind">[^<]*</span>', "", html)
        html = re.sub(r'aria-label="[^"]*"', "", html) if "chip" in html else html
        assert '<html lang="ur" dir="rtl">' in html
        assert english_words(html) == [], path


def test_english_pages_load_no_urdu_font(client, urdu_release):
    html = client.get("/").content.decode()
    assert '<html lang="en-GB" dir="ltr">' in html
    assert "rtl-fonts" not in html


def test_urdu_dates_use_urdu_month_names_and_western_digits(client, urdu_release):
    import datetime

    urdu_release.dateline_date = datetime.date(2026, 12, 3)
    urdu_release.save()
    html = client.get(urdu_release.get_absolute_url()).content.decode()
    assert "اسلام آباد، 3 دسمبر 2026" in html  # the dateline, in the release's own language
    listing = client.get("/ur/").content.decode()
    published = urdu_release.publish_at.astimezone(datetime.UTC)
    assert "December" not in listing
    assert str(published.year) in listing


def test_an_english_release_listed_on_an_urdu_page_is_marked_as_english(client):
    PressReleaseFactory(language="en-gb", title="Flood relief reaches Sindh")
    # The Urdu edition searches Urdu releases unless the reader asks for all.
    html = client.get("/ur/search/?q=flood&language=all").content.decode()
    # Its title and summary, not the list's own words (its date, "Issued by").
    assert '<h3 class="release-card__title" lang="en-GB" dir="ltr">' in html
    assert '<article class="release-card">' in html


def test_plural_forms_in_urdu(client, urdu_release):
    PressReleaseFactory(language="ur", slug="dusri")
    html = client.get("/ur/releases/").content.decode()
    assert "2 ریلیزیں، تازہ ترین پہلے۔" in html

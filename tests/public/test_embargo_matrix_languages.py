"""The embargo matrix's language column: an English release is public while
its Urdu translation is still scheduled.

A translation keeps its own embargo.  Before its instant nothing of the
Urdu text — title, summary, body words, slug, a picture's caption — may
come out through any channel: its page, the Urdu edition's lists and
feeds, the English page (its alternates, hreflang and language links, its
JSON-LD), search, the sitemap, the API's ``translations``, the files, or
the cache headers (no lifetime may outlive the instant).  After the
instant (time-machine; nothing is written in between) the Urdu edition
shows it and the English release names it.
"""

from __future__ import annotations

import datetime
import json
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from alerts import delivery
from alerts.models import stored_languages
from bulletins.models import Bulletin, BulletinItem
from releases.models import PressRelease
from releases.workflow import translations
from tests.alerts.support import follow, html_part, text_part
from tests.factories import (
    MediaContactFactory,
    OrganisationFactory,
    PressReleaseFactory,
    ReleaseImageFactory,
    UserFactory,
)
from tests.mail_fixtures import _mail_settings, smtp  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

#: Words that exist only in the scheduled Urdu translation.
UR_TITLE = "زرقونیہ معاہدہ طے پا گیا"
UR_SUMMARY_WORD = "زرقونیائی"
UR_BODY_WORD = "قرطاسِ‌زرقون"
UR_CAPTION = "زرقونیہ کی تصویر"
UR_SLUG = "zarqooniya-muahida-ur"
EN_SLUG = "zarqoon-agreement-signed"


@pytest.fixture
def story(settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    instant = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=3)
    org = OrganisationFactory(name="Language Matrix Agency", slug="language-agency")
    english = PressReleaseFactory(
        title="Zarqoon agreement signed",
        slug=EN_SLUG,
        summary="The Zarqoon agreement was signed today.",
        body="<p>Details of the Zarqoon agreement.</p>",
        organisations=[org],
        contacts=[MediaContactFactory(organisation=org)],
        tags=["language-topic"],
    )
    ReleaseImageFactory(release=english, caption="Signing of the Zarqoon agreement")
    bulletin = Bulletin.objects.create(
        title="Media Update", slug="language-bulletin", date=instant.date(), organisation=org
    )
    BulletinItem.objects.create(bulletin=bulletin, release=english, order=0)
    translator = UserFactory(username="matrix-translator", is_superuser=True, is_staff=True)
    urdu = translations.translate(english, "ur", translator)
    urdu.title, urdu.slug = UR_TITLE, UR_SLUG
    urdu.summary = f"{UR_SUMMARY_WORD} معاہدے پر آج دستخط ہو گئے۔"
    urdu.body = f"<p>{UR_BODY_WORD} کی تفصیلات۔</p>"
    urdu.status, urdu.publish_at = PressRelease.Status.PUBLISHED, instant
    urdu.save()
    urdu.images.update(caption=UR_CAPTION, alt_text=UR_CAPTION)
    return {"instant": instant, "english": english, "urdu": urdu, "image": urdu.images.get()}


#: Everything of the Urdu text that could give it away.
SECRETS = [s.encode() for s in (UR_TITLE, UR_SUMMARY_WORD, UR_BODY_WORD, UR_CAPTION, UR_SLUG)]

#: Channels that answer 200 both before and after the instant.
CHANNELS = [
    "/",
    "/ur/",
    "/releases/",
    "/ur/releases/",
    f"/releases/{EN_SLUG}/",
    f"/ur/search/?q={UR_SUMMARY_WORD}",
    f"/search/?q={UR_SUMMARY_WORD}",
    "/feeds/releases.rss",
    "/ur/feeds/releases.rss",
    "/ur/feeds/releases.atom",
    "/ur/feeds/organisations/language-agency.rss",
    "/ur/feeds/tags/language-topic.atom",
    "/ur/organisations/language-agency/",
    "/organisations/language-agency/",
    "/ur/bulletins/",
    "/bulletins/language-bulletin/",
    "/bulletins/language-bulletin.txt",
    "/sitemap.xml",
    "/sitemap-releases.xml",
    "/api/v1/releases/",
    f"/api/v1/releases/{EN_SLUG}/",
]


#: What the public would see of the Urdu text alone (the search pages echo
#: the query, so there the word searched for is not the test: its results are).
def leaks(url: str, content: bytes) -> list[bytes]:
    found = [s for s in SECRETS if s in content]
    if "search/?q=" in url:
        found = [s for s in found if s != UR_SUMMARY_WORD.encode()]
        found += [b"ur-result"] if UR_SLUG.encode() in content else []
    return found


def urdu_only_urls(data) -> list[str]:
    """The translation's own addresses: 404 before, 200 after."""
    urdu, image = data["urdu"], data["image"]
    return [
        urdu.get_absolute_url(),
        f"/api/v1/releases/{UR_SLUG}/",
        *(image.url(rendition) for rendition in ("original", "web", "thumb")),
        reverse("releases:media_kit", kwargs={"slug": UR_SLUG}),
        "/ur/bulletins/language-bulletin/",
    ]


def test_an_english_release_public_leaks_nothing_of_its_scheduled_urdu_translation(client, story):
    assert story["urdu"].get_absolute_url() == f"/ur/releases/{UR_SLUG}/"
    for url in CHANNELS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not leaks(url, response.content), f"{url} leaked {leaks(url, response.content)}"
    for url in urdu_only_urls(story):
        response = client.get(url)
        assert response.status_code == 404, f"{url} answered before the embargo"
        assert not leaks(url, response.content), url
    # The English picture's door does not open on the Urdu row, nor the other way.
    english_image = story["english"].images.get()
    wrong = reverse(
        "releases:image", kwargs={"slug": EN_SLUG, "pk": story["image"].pk, "rendition": "web"}
    )
    assert client.get(wrong).status_code == 404
    assert client.get(english_image.url("web")).status_code == 200

    api = client.get("/api/v1/releases/?language=ur").json()
    assert api["results"] == [] and api["count"] == 0
    detail = client.get(f"/api/v1/releases/{EN_SLUG}/").json()
    assert detail["language"] == "en-GB" and detail["translations"] == []
    page = client.get(f"/releases/{EN_SLUG}/").content.decode()
    assert "workTranslation" not in page and '"inLanguage": "en-GB"' in page
    assert 'hreflang="ur"' not in client.get("/sitemap-releases.xml").content.decode()


def test_after_the_urdu_instant_the_urdu_edition_shows_it_and_english_names_it(client, story):
    with time_machine.travel(story["instant"] + datetime.timedelta(seconds=1), tick=False):
        for url in urdu_only_urls(story):
            assert client.get(url).status_code == 200, f"{url} not served after the embargo"
        for url in ("/ur/", "/ur/feeds/releases.rss", "/ur/organisations/language-agency/"):
            assert UR_SLUG.encode() in client.get(url).content, url
        # The English edition keeps to English.
        for url in ("/", "/feeds/releases.rss", "/organisations/language-agency/"):
            content = client.get(url).content
            assert UR_SLUG.encode() not in content and EN_SLUG.encode() in content, url

        detail = client.get(f"/api/v1/releases/{EN_SLUG}/").json()
        assert detail["translations"] == [
            {
                "language": "ur",
                "title": UR_TITLE,
                "url": f"https://news.example.org/ur/releases/{UR_SLUG}/",
                "api_url": f"https://news.example.org/api/v1/releases/{UR_SLUG}/",
            }
        ]
        listed = client.get("/api/v1/releases/?language=ur").json()
        assert [r["slug"] for r in listed["results"]] == [UR_SLUG]
        assert listed["results"][0]["translations"][0]["language"] == "en-GB"

        english_ld = jsonld(client.get(f"/releases/{EN_SLUG}/").content.decode())
        assert english_ld["inLanguage"] == "en-GB"
        assert [t["inLanguage"] for t in english_ld["workTranslation"]] == ["ur"]
        assert "translationOfWork" not in english_ld
        urdu_ld = jsonld(client.get(f"/ur/releases/{UR_SLUG}/").content.decode())
        assert urdu_ld["inLanguage"] == "ur"
        assert urdu_ld["translationOfWork"]["url"].endswith(f"/releases/{EN_SLUG}/")

        sitemap = client.get("/sitemap-releases.xml").content.decode()
        assert f"<loc>https://news.example.org/ur/releases/{UR_SLUG}/</loc>" in sitemap
        alternates = re.findall(r'hreflang="([^"]+)" href="([^"]+)"', sitemap)
        assert ("ur", f"https://news.example.org/ur/releases/{UR_SLUG}/") in alternates
        assert ("en-GB", f"https://news.example.org/releases/{EN_SLUG}/") in alternates
        assert ("x-default", f"https://news.example.org/releases/{EN_SLUG}/") in alternates
        # Each of the two <url> entries names both versions and x-default.
        assert len(alternates) == 6

        bulletin = client.get("/ur/bulletins/language-bulletin/").content
        assert UR_SLUG.encode() in bulletin and EN_SLUG.encode() not in bulletin


def jsonld(page: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block, "no JSON-LD"
    return json.loads(block.group(1))


def _max_age(response) -> int | None:
    for part in response.get("Cache-Control", "").split(","):
        name, _, value = part.strip().partition("=")
        if name == "max-age":
            return int(value)
    return None


def test_no_cache_lifetime_outlives_the_urdu_instant(client, story):
    """The English page and the lists change at the Urdu instant (alternates,
    the Urdu edition), so no shared cache may keep them past it."""
    instant = story["instant"]
    for seconds_before in (50, 1):
        moment = instant - datetime.timedelta(seconds=seconds_before)
        with time_machine.travel(moment, tick=False):
            for url in CHANNELS:
                age = _max_age(client.get(url))
                if age is not None:
                    assert moment + datetime.timedelta(seconds=age) <= instant, (url, age)
            for url in urdu_only_urls(story):
                response = client.get(url)
                assert response.status_code == 404, url
                assert "no-store" in response.get("Cache-Control", ""), url


def test_alert_emails_carry_nothing_of_the_scheduled_urdu_text(smtp, story):  # noqa: F811
    """The alert channel: a reader of both editions gets the English alert
    with nothing of the Urdu version, and the Urdu alert only at its instant."""
    both = follow("both@example.org", confirmed_at=timezone.now() - datetime.timedelta(days=1))
    both.languages = stored_languages(["en-gb", "ur"])
    both.save()
    delivery.send_release(story["english"].pk)
    (message,) = smtp.messages
    whole = (message["Subject"] + text_part(message) + html_part(message)).encode()
    assert not [s for s in SECRETS if s in whole]

    assert delivery.send_release(story["urdu"].pk).get("sent", 0) == 0
    assert len(smtp.messages) == 1
    with time_machine.travel(story["instant"] + datetime.timedelta(seconds=1), tick=False):
        delivery.send_release(story["urdu"].pk)
    assert len(smtp.messages) == 2
    assert UR_SLUG in html_part(smtp.messages[1])

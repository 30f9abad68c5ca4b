"""sitemap.xml, robots.txt, the release head metadata and its JSON-LD."""

from __future__ import annotations

import datetime
import json
import re
import urllib.robotparser
import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone
from taggit.models import Tag

from contacts.models import Partnership
from newsroom.seo import release_jsonld
from releases.models import PressRelease
from tests.factories import OrganisationFactory, PartnershipFactory, PressReleaseFactory

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "https://news.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.NEWSROOM_SITE_URL = SITE


@pytest.fixture
def mix():
    org = OrganisationFactory(slug="iom", name="IOM Pakistan", acronym="IOM")
    OrganisationFactory(slug="gone", is_active=False)
    PartnershipFactory(slug="signed-mou")
    PartnershipFactory(slug="draft-mou", status=Partnership.Status.DRAFT)
    public = [
        PressReleaseFactory(slug="public-one", organisations=[org]),
        PressReleaseFactory(slug="public-two"),
    ]
    PressReleaseFactory(slug="embargoed", publish_at=timezone.now() + datetime.timedelta(days=1))
    PressReleaseFactory(slug="withdrawn", status=PressRelease.Status.WITHDRAWN)
    PressReleaseFactory(slug="draft", status=PressRelease.Status.DRAFT, publish_at=None)
    return {"org": org, "public": public}


def sitemap_locs(client) -> dict[str, str | None]:
    """Every URL of the sitemap, following the index into each section."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    index = ET.fromstring(response.content)  # noqa: S314 - our own output
    sections = [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]
    assert sections, "the sitemap index lists no section"
    locs: dict[str, str | None] = {}
    for section in sections:
        assert section.startswith(SITE), section
        page = client.get(section.removeprefix(SITE))
        assert page.status_code == 200, section
        root = ET.fromstring(page.content)  # noqa: S314 - our own output
        for url in root.findall("sm:url", NS):
            locs[url.find("sm:loc", NS).text] = getattr(url.find("sm:lastmod", NS), "text", None)
    return locs


def test_sitemap_lists_exactly_the_published_releases(client, mix):
    locs = sitemap_locs(client)
    prefix = f"{SITE}/releases/"
    release_locs = {loc for loc in locs if loc.startswith(prefix) and loc != prefix}
    assert release_locs == {f"{SITE}{r.get_absolute_url()}" for r in mix["public"]}
    for loc in release_locs:
        assert locs[loc]  # lastmod present
    assert f"{SITE}/organisations/iom/" in locs
    assert f"{SITE}/organisations/gone/" not in locs
    assert f"{SITE}/partnerships/signed-mou/" in locs
    assert f"{SITE}/partnerships/draft-mou/" not in locs
    assert f"{SITE}/" in locs and f"{SITE}/releases/" in locs
    assert not any("/search/" in loc for loc in locs)


def test_sitemap_lastmod_is_never_before_publication(client):
    release = PressReleaseFactory()
    # Edited (modified_at) long before its embargo lifted.
    PressRelease.objects.filter(pk=release.pk).update(
        modified_at=release.publish_at - datetime.timedelta(days=30)
    )
    lastmod = sitemap_locs(client)[f"{SITE}{release.get_absolute_url()}"]
    assert datetime.datetime.fromisoformat(lastmod) == release.publish_at


def test_sitemap_lastmod_is_the_instant_of_the_pages_date_modified(client):
    """One instant for one page: the sitemap's lastmod, the JSON-LD's
    dateModified and article:modified_time (issue 19, item 3)."""
    release = PressReleaseFactory()
    noted = release.publish_at + datetime.timedelta(hours=5, minutes=7)
    PressRelease.objects.filter(pk=release.pk).update(
        last_updated_at=noted, modified_at=noted + datetime.timedelta(days=3)
    )
    lastmod = sitemap_locs(client)[f"{SITE}{release.get_absolute_url()}"]
    page = client.get(release.get_absolute_url()).content.decode()
    ld = json.loads(re.search(r'application/ld\+json">(.*?)</script>', page, re.S).group(1))
    modified_time = re.search(r'article:modified_time" content="([^"]+)"', page).group(1)
    assert datetime.datetime.fromisoformat(lastmod) == noted
    assert datetime.datetime.fromisoformat(ld["dateModified"]) == noted
    assert datetime.datetime.fromisoformat(modified_time) == noted


def test_sections_are_not_noindex_and_bulletins_and_api_are_listed(client, mix):
    from bulletins.models import Bulletin, BulletinItem

    bulletin = Bulletin.objects.create(
        title="Media update", slug="media-update", date=timezone.localdate()
    )
    BulletinItem.objects.create(bulletin=bulletin, release=mix["public"][0], order=1)
    hidden = Bulletin.objects.create(title="Not yet", slug="not-yet", date=timezone.localdate())
    embargoed = PressRelease.objects.get(slug="embargoed")
    BulletinItem.objects.create(bulletin=hidden, release=embargoed, order=1)
    for section in ("releases", "pages", "bulletins"):
        response = client.get(f"/sitemap-{section}.xml")
        assert response.status_code == 200
        assert "X-Robots-Tag" not in response
    locs = sitemap_locs(client)
    assert f"{SITE}/bulletins/" in locs and f"{SITE}/api/" in locs
    assert f"{SITE}/bulletins/media-update/" in locs
    assert f"{SITE}/bulletins/not-yet/" not in locs


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Disallow: /search/" in text
    assert f"Sitemap: {SITE}/sitemap.xml" in text


def test_robots_txt_read_by_a_first_match_parser(client):
    """Python's robotparser applies the first rule that matches: the disallows
    must come before ``Allow: /`` or it would crawl the admin and search."""
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(client.get("/robots.txt").content.decode().splitlines())
    for path in ("/admin/", "/admin/releases/pressrelease/", "/search/", "/search/?q=flood"):
        assert not parser.can_fetch("AnyBot", f"{SITE}{path}"), path
    for path in ("/", "/releases/", "/feeds/releases.rss"):
        assert parser.can_fetch("AnyBot", f"{SITE}{path}"), path
    assert parser.site_maps() == [f"{SITE}/sitemap.xml"]


def detail(release: PressRelease) -> PressRelease:
    return PressRelease.objects.published().for_detail().get(pk=release.pk)


def test_jsonld_has_the_right_dates_and_publisher():
    org = OrganisationFactory(name="IOM Pakistan", acronym="IOM", website="https://iom.int")
    release = PressReleaseFactory(organisations=[org], tags=["Floods"])
    release.last_updated_at = release.publish_at + datetime.timedelta(days=1)
    release.save()
    data = release_jsonld(detail(release))
    assert data["@type"] == "NewsArticle"
    assert datetime.datetime.fromisoformat(data["datePublished"]) == release.first_published_at
    assert datetime.datetime.fromisoformat(data["dateModified"]) == release.last_updated_at
    assert data["publisher"]["name"] == "IOM Pakistan"
    assert data["author"][0]["alternateName"] == "IOM"
    assert data["keywords"] == "Floods"
    assert data["mainEntityOfPage"]["@id"] == f"{SITE}{release.get_absolute_url()}"


def render_meta(release: PressRelease) -> str:
    return render_to_string("releases/_meta.html", {"release": detail(release)})


def test_meta_partial_cannot_be_broken_by_a_title():
    release = PressReleaseFactory(
        title='Evil </script><script>alert(1)</script> "quoted" & more',
        summary="Summary </script> text",
    )
    html = render_meta(release)
    assert "<script>alert(1)" not in html
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    data = json.loads(scripts[0])
    assert data["name"] == release.title
    assert html.count("</script>") == 1
    assert f'<link rel="canonical" href="{SITE}{release.get_absolute_url()}">' in html
    assert 'property="og:title" content="Evil &lt;/script&gt;' in html
    # No picture of its own and no logo: the newsroom's picture, a wide card.
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<meta property="og:image" content="{SITE}/static/img/share' in html


def test_every_public_page_has_a_card_and_a_picture(client, mix):
    """Issue 19, item 3: twitter:card on every page, og:image everywhere,
    og:type on partnership pages; the release's JSON-LD has an image and its
    publisher a logo even without a picture or a logo of their own."""
    pages = ["/", "/releases/", "/organisations/iom/", "/partnerships/signed-mou/", "/bulletins/"]
    pages.append(mix["public"][0].get_absolute_url())
    for path in pages:
        html = client.get(path).content.decode()
        assert html.count('name="twitter:card"') == 1, path
        assert html.count('property="og:image"') == 1, path
        assert re.search(r'property="og:image" content="https?://[^"]+"', html), path
    assert 'property="og:type" content="website"' in client.get("/partnerships/signed-mou/").text
    page = client.get(mix["public"][0].get_absolute_url()).content.decode()
    ld = json.loads(re.search(r'application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert ld["image"] and ld["image"][0].startswith(SITE)
    assert ld["publisher"]["logo"]["url"].startswith(SITE)


def test_meta_description_falls_back_to_body_text():
    release = PressReleaseFactory(summary="", body="<p>Body <strong>text</strong> " + "x " * 200)
    html = render_meta(release)
    match = re.search(r'<meta name="description" content="([^"]*)">', html)
    assert match and match.group(1).startswith("Body text")
    assert len(match.group(1)) <= 160


def test_meta_query_count(django_assert_max_num_queries):
    release = detail(PressReleaseFactory(organisations=[OrganisationFactory()], tags=["a"]))
    with django_assert_max_num_queries(1):  # the lead image lookup only
        render_to_string("releases/_meta.html", {"release": release})


def test_feed_links_partial():
    org = OrganisationFactory(slug="iom", name="IOM")
    tag = Tag.objects.create(name="Floods", slug="floods")
    html = Template('{% include "releases/_feed_links.html" %}').render(
        Context({"organisation": org, "tag": tag, "SITE_NAME": "Newsroom"})
    )
    for href in (
        "/feeds/releases.rss",
        "/feeds/releases.atom",
        "/feeds/organisations/iom.rss",
        "/feeds/organisations/iom.atom",
        "/feeds/tags/floods.rss",
        "/feeds/tags/floods.atom",
    ):
        assert f'href="{href}"' in html
    assert html.count('rel="alternate"') == 6


def test_sitemap_index_never_loads_the_archive(client, mix):
    """The index needs the newest date per section: an aggregate, not a read
    of every release (Django's default), which timed out at 100,000."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/sitemap.xml").status_code == 200
    release_reads = [
        q["sql"] for q in ctx.captured_queries if '"releases_pressrelease"."slug"' in q["sql"]
    ]
    assert not release_reads, release_reads

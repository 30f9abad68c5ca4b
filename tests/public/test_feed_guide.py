"""The human "News feeds" page every visible RSS link opens (issue 12, item 14).

A feed opened in a phone's browser is raw XML; people get a page with the
address to copy, what a feed reader is, and the e-mail alternative.  Feed
readers keep finding the real feeds through ``<link rel="alternate">``.
"""

from __future__ import annotations

import datetime
import re

import feedparser
import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, PressReleaseFactory

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"


@pytest.fixture
def site(settings):
    settings.NEWSROOM_SITE_URL = SITE
    iom = OrganisationFactory(name="IOM Pakistan", acronym="IOM", slug="iom")
    release = PressReleaseFactory(title="Flood relief", organisations=[iom], tags=["Floods"])
    PressReleaseFactory(
        title="Secret embargoed",
        tags=["Quillbrook accord"],
        publish_at=timezone.now() + datetime.timedelta(hours=2),
    )
    return {"iom": iom, "release": release}


def anchors(html: str) -> list[str]:
    return re.findall(r'<a [^>]*href="([^"]+)"', html)


def test_the_page_gives_the_addresses_to_copy_and_the_e_mail_alternative(client, site):
    response = client.get("/feeds/")
    assert response.status_code == 200
    html = response.text
    assert '<h1 class="page-title">News feeds</h1>' in html
    assert f'value="{SITE}/feeds/releases.rss"' in html
    assert f'value="{SITE}/feeds/releases.atom"' in html
    assert "What is a feed reader?" in html
    assert 'href="/alerts/subscribe/"' in html
    # The addresses on the page are real, valid feeds.
    for path in ("/feeds/releases.rss", "/feeds/releases.atom"):
        parsed = feedparser.parse(client.get(path).content)
        assert not parsed.bozo
        assert [e.title for e in parsed.entries] == ["Flood relief"]
    # Feed readers still discover the feeds themselves.
    assert '<link rel="alternate" type="application/rss+xml"' in html


def test_an_organisation_or_topic_puts_its_own_feed_first(client, site):
    html = client.get("/feeds/?organisation=iom").text
    assert "Press releases from IOM Pakistan" in html
    assert html.index(f"{SITE}/feeds/organisations/iom.rss") < html.index(
        f"{SITE}/feeds/releases.rss"
    )
    assert 'href="/alerts/subscribe/?organisation=iom"' in html
    assert "Get press releases from IOM Pakistan by e-mail" in html
    assert "/feeds/organisations/iom.rss" in client.get("/feeds/?org=iom").text  # the alias
    html = client.get("/feeds/?tag=floods").text
    assert f"{SITE}/feeds/tags/floods.atom" in html
    assert 'href="/alerts/subscribe/?tag=floods"' in html


@pytest.mark.parametrize(
    "query", ["?tag=quillbrook-accord", "?organisation=nope", "?tag=%00", "?tag=" + "x" * 500]
)
def test_unknown_or_not_yet_public_choices_are_ignored_and_never_named(client, site, query):
    response = client.get(f"/feeds/{query}")
    assert response.status_code == 200
    assert "Quillbrook" not in response.text
    assert "/feeds/tags/" not in response.text
    assert f"{SITE}/feeds/releases.rss" in response.text


def test_every_visible_feed_link_opens_the_guide_not_raw_xml(client, site):
    release = site["release"]
    pages = [
        "/",
        "/releases/",
        "/releases/?organisation=iom",
        "/releases/?tag=floods",
        release.get_absolute_url(),
        site["iom"].get_absolute_url(),
        "/bulletins/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        links = anchors(response.text)
        assert not [href for href in links if href.endswith((".rss", ".atom"))], page
        assert any(href.startswith("/feeds/") for href in links), page
    release_page = client.get(release.get_absolute_url()).text
    assert 'href="/feeds/?tag=floods"' in release_page


def test_the_guide_runs_few_queries(client, site, django_assert_max_num_queries):
    client.get("/feeds/?organisation=iom")
    with django_assert_max_num_queries(3):  # the content state, the organisation
        assert client.get("/feeds/?organisation=iom").status_code == 200
    with django_assert_max_num_queries(3):  # the content state, the topic
        assert client.get("/feeds/?tag=floods").status_code == 200

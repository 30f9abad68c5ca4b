"""The public templates wire what the other parts provide: head metadata once,
feed discovery, contact cards, tag links, filters with counts, footer links,
and nothing inline that the strict Content-Security-Policy would block."""

from __future__ import annotations

import datetime
import json
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from bulletins.models import Bulletin, BulletinItem
from contacts.models import PartnershipMember
from releases.models import PressRelease
from tests.factories import (
    MediaContactFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PressReleaseFactory,
)

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """Just enough of an HTML document to ask structural questions."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self._script_text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script, self._script_text = dict(attrs), []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._script_text)))
            self._script = None

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        """Elements ``tag`` whose attributes include every ``attrs`` pair."""
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]

    def hrefs(self) -> list[str]:
        return [a.get("href") or "" for t, a in self.tags if t == "a"]


def page(client, url: str, status: int = 200) -> Page:
    response = client.get(url)
    assert response.status_code == status, url
    return Page(response.content.decode())


@pytest.fixture
def newsroom():
    """A small public newsroom: an organisation with a public and an internal
    contact, a tagged release with both, a partnership and a bulletin."""
    org = OrganisationFactory(name="IOM Pakistan", acronym="", slug="iom-pakistan")
    public = MediaContactFactory(organisation=org, name="Ramsha Nadeem")
    internal = MediaContactFactory(organisation=org, name="Internal Person", is_public=False)
    release = PressReleaseFactory(
        title="Training against trafficking",
        slug="training",
        organisations=[org],
        contacts=[public, internal],
        tags=["human trafficking", "migration"],
    )
    other = PressReleaseFactory(title="Second release", slug="second", organisations=[org])
    other.tags.add("migration")
    partnership = PartnershipFactory(slug="mou")
    PartnershipMemberFactory(
        partnership=partnership, organisation=org, role=PartnershipMember.Role.SIGNATORY
    )
    release.partnerships.add(partnership)
    bulletin = Bulletin.objects.create(
        title="Media Update",
        slug="media-update",
        date=datetime.date(2023, 10, 19),
        organisation=org,
    )
    BulletinItem.objects.create(bulletin=bulletin, release=release, order=0)
    return {
        "org": org,
        "public": public,
        "internal": internal,
        "release": release,
        "other": other,
        "partnership": partnership,
        "bulletin": bulletin,
    }


# Head metadata ---------------------------------------------------------------


def test_release_page_has_one_canonical_and_one_json_ld(client, newsroom):
    release = newsroom["release"]
    doc = page(client, release.get_absolute_url())
    canonicals = doc.find("link", rel="canonical")
    assert len(canonicals) == 1
    assert canonicals[0]["href"].endswith(release.get_absolute_url())
    json_ld = [text for attrs, text in doc.scripts if attrs.get("type") == "application/ld+json"]
    assert len(json_ld) == 1
    assert json.loads(json_ld[0])["@type"] == "NewsArticle"
    # Nothing from the old hand-written tags is emitted a second time.
    for prop in ("og:title", "og:url", "og:type", "article:published_time"):
        assert len(doc.find("meta", property=prop)) == 1, prop
    assert len(doc.find("meta", name="description")) == 1
    assert len(doc.find("meta", name="twitter:card")) == 1


@pytest.mark.parametrize("name", ["home", "search:release_list", "search:search", "bulletins:list"])
def test_feed_discovery_links_on_listing_pages(client, newsroom, name):
    doc = page(client, reverse(name))
    rss = doc.find("link", rel="alternate", type="application/rss+xml")
    atom = doc.find("link", rel="alternate", type="application/atom+xml")
    assert reverse("releases:feed_rss") in [link["href"] for link in rss]
    assert reverse("releases:feed_atom") in [link["href"] for link in atom]


def test_organisation_page_advertises_its_own_feeds(client, newsroom):
    org = newsroom["org"]
    doc = page(client, org.get_absolute_url())
    alternates = [link["href"] for link in doc.find("link", rel="alternate")]
    rss = reverse("releases:organisation_feed_rss", kwargs={"slug": org.slug})
    atom = reverse("releases:organisation_feed_atom", kwargs={"slug": org.slug})
    assert rss in alternates and atom in alternates
    # …and shows them to people, not only to feed readers: through the
    # "News feeds" page (raw XML is no page for a person), which gives them.
    guide = f"{reverse('releases:feed_guide')}?organisation={org.slug}"
    assert guide in doc.hrefs()
    assert rss in client.get(guide).content.decode()


def test_release_list_shows_feed_links_and_the_filtered_topic_feed(client, newsroom):
    doc = page(client, "/releases/?tag=migration")
    guide = reverse("releases:feed_guide")
    assert guide in doc.hrefs()
    assert f"{guide}?tag=migration" in doc.hrefs()
    html = client.get(f"{guide}?tag=migration").content.decode()
    assert reverse("releases:tag_feed_rss", kwargs={"slug": "migration"}) in html
    assert reverse("releases:tag_feed_atom", kwargs={"slug": "migration"}) in html


# Contact cards ----------------------------------------------------------------


def test_vcard_links_for_public_contacts_only(client, newsroom):
    public, internal = newsroom["public"], newsroom["internal"]
    public_card = reverse("contacts:vcard", kwargs={"pk": public.pk})
    internal_card = reverse("contacts:vcard", kwargs={"pk": internal.pk})
    for url in (
        newsroom["release"].get_absolute_url(),
        reverse("contacts:contact_list"),
        newsroom["org"].get_absolute_url(),
        newsroom["bulletin"].get_absolute_url(),
    ):
        hrefs = page(client, url).hrefs()
        assert public_card in hrefs, url
        assert internal_card not in hrefs, url
    # The links lead somewhere: the public card downloads, the internal one would not.
    assert client.get(public_card).status_code == 200
    assert client.get(internal_card).status_code == 404


def test_release_offers_all_its_contacts_as_one_vcard(client, newsroom):
    release = newsroom["release"]
    url = reverse("releases:contacts_vcard", kwargs={"slug": release.slug})
    doc = page(client, release.get_absolute_url())
    link = [a for t, a in doc.tags if t == "a" and a.get("href") == url]
    assert len(link) == 1
    assert client.get(url).status_code == 200


def test_withdrawn_release_shows_the_notice_but_no_contacts_download(client, newsroom):
    release = newsroom["release"]
    PressRelease.objects.filter(pk=release.pk).update(
        status=PressRelease.Status.WITHDRAWN,
        withdrawn_at=timezone.now(),
        withdrawal_reason="Figures were provisional.",
    )
    response = client.get(release.get_absolute_url())
    html = response.content.decode()
    assert 'class="notice notice--withdrawn"' in html
    assert "Figures were provisional." in html
    assert reverse("releases:contacts_vcard", kwargs={"slug": release.slug}) not in html


# Tags and filters ---------------------------------------------------------------


def test_tags_link_to_the_filtered_list_and_their_feeds(client, newsroom):
    doc = page(client, newsroom["release"].get_absolute_url())
    tag_links = doc.find("a", rel="tag")
    assert sorted(a["href"] for a in tag_links) == [
        "/releases/?tag=human-trafficking",
        "/releases/?tag=migration",
    ]
    assert f"{reverse('releases:feed_guide')}?tag=migration" in doc.hrefs()
    # The filtered list it links to really is filtered.
    listing = client.get("/releases/?tag=human-trafficking").content.decode()
    assert "Training against trafficking" in listing and "Second release" not in listing


def test_list_page_shows_facets_with_counts_and_active_filter_chips(client, newsroom):
    response = client.get("/releases/", {"tag": "migration"})
    html = response.content.decode()
    doc = Page(html)
    # Facet counts reflect the filtered set: both releases carry "migration",
    # one carries "human trafficking".
    assert 'migration</a> <span class="count">(2)</span>' in html
    assert 'human trafficking</a> <span class="count">(1)</span>' in html
    assert 'IOM Pakistan</a> <span class="count">(2)</span>' in html
    # The chosen topic is marked (not by colour alone) and removable.
    selected = doc.find("a", **{"aria-current": "true"})
    # The language filter marks the edition's language too (search.filters).
    languages = [a for a in selected if "language=" in a["href"]]
    assert [a["href"] for a in languages] == ["?tag=migration&language=en-gb"]
    assert [a["href"] for a in selected if a not in languages] == ["?"]
    chips = [a for t, a in doc.tags if t == "a" and "chip" in (a.get("class") or "").split()]
    assert len(chips) == 1
    assert chips[0]["aria-label"] == "Remove filter Topic: migration"
    assert chips[0]["href"] == "?"
    assert "2 releases match your filters" in html


def test_list_page_explains_an_unknown_filter(client, newsroom):
    html = client.get("/releases/", {"tag": "no-such-topic"}).content.decode()
    assert "Unknown topic: the filter was ignored." in html
    assert html.count("Unknown topic") == 1  # shown once, not by the list and the filters
    # A live region around the list, not on it (role="status" on <ul> hides the list).
    assert '<div class="messages" role="status"><ul class="messages__list">' in html


def test_search_page_keeps_its_filters_and_counts(client, newsroom):
    html = client.get("/search/", {"q": "", "org": "iom-pakistan"}).content.decode()
    assert 'class="chip"' in html and "Remove filter Organisation: IOM Pakistan" in html
    assert '<span class="count">(2)</span>' in html


# Footer ---------------------------------------------------------------------------


def test_footer_links_to_api_bulletins_feeds_and_sitemap(client, newsroom):
    hrefs = page(client, "/").hrefs()
    for url in (
        reverse("api:index"),
        reverse("bulletins:list"),
        reverse("releases:feed_guide"),  # which gives the RSS and Atom addresses
        reverse("sitemap"),
    ):
        assert url in hrefs, url


# Content-Security-Policy: nothing inline on public pages ---------------------------


def public_urls(newsroom) -> list[tuple[str, int]]:
    removed = PressReleaseFactory(status=PressRelease.Status.REMOVED, slug="removed")
    withdrawn = PressReleaseFactory(
        status=PressRelease.Status.WITHDRAWN,
        slug="withdrawn",
        withdrawn_at=timezone.now(),
        withdrawal_reason="Superseded.",
    )
    return [
        ("/", 200),
        ("/releases/", 200),
        ("/releases/?tag=migration&year=2023&month=10", 200),
        (newsroom["release"].get_absolute_url(), 200),
        (withdrawn.get_absolute_url(), 200),
        (removed.get_absolute_url(), 410),
        ("/search/?q=trafficking", 200),
        ("/search/?q=zzzz", 200),
        (newsroom["org"].get_absolute_url(), 200),
        ("/organisations/", 200),
        ("/contacts/", 200),
        ("/partnerships/", 200),
        (newsroom["partnership"].get_absolute_url(), 200),
        ("/bulletins/", 200),
        ("/feeds/?organisation=iom-pakistan", 200),
        (newsroom["bulletin"].get_absolute_url(), 200),
        ("/api/", 200),
        ("/no-such-page/", 404),
    ]


def assert_nothing_inline(html: str, where: str) -> None:
    doc = Page(html)
    styled = [(t, a) for t, a in doc.tags if "style" in a]
    assert not styled, f"{where}: inline style attribute on {styled[:3]}"
    assert not doc.find("style"), f"{where}: <style> element"
    handlers = [(t, k) for t, a in doc.tags for k in a if k.startswith("on")]
    assert not handlers, f"{where}: inline event handler {handlers[:3]}"
    for attrs, text in doc.scripts:
        if attrs.get("src"):
            continue
        assert attrs.get("type") == "application/ld+json", f"{where}: inline <script> {text[:60]!r}"
    assert not [h for h in doc.hrefs() if h.lower().startswith("javascript:")], where


def test_public_pages_have_no_inline_style_or_script(client, newsroom):
    for url, status in public_urls(newsroom):
        response = client.get(url)
        assert response.status_code == status, url
        assert_nothing_inline(response.content.decode(), url)


@pytest.mark.parametrize(
    "template", ["400.html", "403.html", "404.html", "410.html", "lockout.html"]
)
def test_error_templates_have_no_inline_style_or_script(template):
    request = RequestFactory().get("/x/")
    html = render_to_string(
        template, {"failure_limit": 5, "cooloff_minutes": 15, "message": "Gone."}, request=request
    )
    assert 'class="error-page' in html and 'class="error-code"' in html
    assert_nothing_inline(html, template)


def test_500_template_is_self_contained_and_has_no_inline_code():
    html = render_to_string("500.html", {"SITE_NAME": "Newsroom"})
    assert "{%" not in html and 'class="error-links"' in html
    assert "/static/css/newsroom.css" in html
    assert_nothing_inline(html, "500.html")


def test_the_checker_catches_what_it_looks_for():
    """The inline-code check must be able to fail."""
    for bad in (
        '<p style="color:red">x</p>',
        "<style>p{}</style>",
        "<script>alert(1)</script>",
        '<a href="#" onclick="x()">x</a>',
        '<a href="javascript:x()">x</a>',
    ):
        with pytest.raises(AssertionError):
            assert_nothing_inline(bad, "sample")
    assert_nothing_inline('<script type="application/ld+json">{}</script>', "json-ld")

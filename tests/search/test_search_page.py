"""Search page and search functions, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from releases.models import PressRelease
from search.query import MAX_QUERY_LENGTH, clean_query, highlight, search
from tests.factories import OrganisationFactory, PressReleaseFactory

pytestmark = pytest.mark.django_db

URL = "/search/"


def titles(response) -> list[str]:
    return [r.title for r in response.context["page_obj"].object_list]


def test_search_url_is_at_the_site_root():
    assert reverse("search:search") == URL


def test_title_match_ranks_before_body_match(client):
    body_only = PressReleaseFactory(
        title="Quarterly update",
        body="<p>The monsoon affected many districts.</p>",
        publish_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    in_title = PressReleaseFactory(
        title="Monsoon response scaled up",
        body="<p>Aid reached families.</p>",
        publish_at=timezone.now() - datetime.timedelta(days=3),
    )
    PressReleaseFactory(title="Unrelated", body="<p>Nothing here.</p>")
    response = client.get(URL, {"q": "monsoon"})
    assert response.status_code == 200
    # The body-only match is newer, so only ranking can put the title match first.
    assert titles(response) == [in_title.title, body_only.title]


def test_matches_organisation_acronym_and_tag(client):
    org = OrganisationFactory(name="International Organization for Migration", acronym="IOM")
    by_org = PressReleaseFactory(title="Shelter kits", organisations=[org])
    by_tag = PressReleaseFactory(title="Water points", tags=["Sanitation"])
    PressReleaseFactory(title="Something else")
    assert titles(client.get(URL, {"q": "IOM"})) == [by_org.title]
    assert titles(client.get(URL, {"q": "sanitation"})) == [by_tag.title]


def test_embargoed_and_withdrawn_never_found(client):
    PressReleaseFactory(
        title="Embargoed cyclone warning",
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )
    PressReleaseFactory(title="Withdrawn cyclone note", status=PressRelease.Status.WITHDRAWN)
    PressReleaseFactory(title="Draft cyclone plan", status=PressRelease.Status.DRAFT)
    visible = PressReleaseFactory(title="Cyclone season begins")
    response = client.get(URL, {"q": "cyclone"})
    assert titles(response) == [visible.title]
    # Nor through the misspelling fallback or the empty-query listing.
    assert "Embargoed cyclone warning" not in titles(client.get(URL, {"q": "cyclon warnin"}))
    assert titles(client.get(URL)) == [visible.title]


def test_exclusion_and_phrase(client):
    both = PressReleaseFactory(title="Flood relief and health camps")
    relief = PressReleaseFactory(title="Flood relief for farmers")
    result = titles(client.get(URL, {"q": "flood -health"}))
    assert result == [relief.title]
    result = titles(client.get(URL, {"q": '"health camps"'}))
    assert result == [both.title]


def test_search_page_is_noindex_and_shows_empty_state(client):
    response = client.get(URL, {"q": "nothingmatchesthisatall"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert "No published release matches" in html


def test_empty_query_lists_latest(client):
    old = PressReleaseFactory(publish_at=timezone.now() - datetime.timedelta(days=10))
    new = PressReleaseFactory(publish_at=timezone.now() - datetime.timedelta(days=1))
    assert titles(client.get(URL)) == [new.title, old.title]


def test_long_query_is_shortened_with_a_message(client):
    PressReleaseFactory(title="Polio campaign")
    response = client.get(URL, {"q": "polio " + "x" * 10_000})
    assert response.status_code == 200
    assert len(response.context["query"]) <= MAX_QUERY_LENGTH
    assert "was shortened" in response.content.decode()


def test_clean_query():
    assert clean_query("  a\x00b \t c ") == ("a b c", None)
    shortened, message = clean_query("word " * 100)
    assert len(shortened) <= MAX_QUERY_LENGTH and not shortened.endswith(" ")
    assert message


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE releases_pressrelease; --",
        "<script>alert(1)</script>",
        "%ff%fe",
        '"unbalanced',
        "-",
        "or or or",
        "!!! & | :* ()",
        "\x00",
        "x" * 10_000,
        "日本語 اردو",
    ],
)
def test_hostile_queries_never_500(client, query):
    PressReleaseFactory(title="Any release")
    response = client.get(URL, {"q": query, "page": "-3"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize(
    "raw", ["q=%ff", "q=%c3%28&org=%ff", "page=99999999999999999999", "page=-1", "page=abc"]
)
def test_hostile_raw_query_strings_never_500(client, raw):
    PressReleaseFactory()
    response = client.get(f"{URL}?{raw}")
    assert response.status_code == 200


def test_pagination_keeps_query_and_filters(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    org = OrganisationFactory(slug="iom")
    for i in range(5):
        PressReleaseFactory(title=f"Vaccination drive {i}", organisations=[org])
    response = client.get(URL, {"q": "vaccination", "org": "iom"})
    html = response.content.decode()
    assert "q=vaccination&amp;organisation=iom&amp;page=2" in html
    page2 = client.get(URL, {"q": "vaccination", "org": "iom", "page": "2"})
    assert len(page2.context["page_obj"].object_list) == 2
    assert page2.context["page_obj"].number == 2


def test_search_query_count_is_fixed(client, django_assert_max_num_queries):
    orgs = [OrganisationFactory() for _ in range(3)]
    for i in range(12):
        PressReleaseFactory(title=f"Measles outbreak {i}", organisations=orgs, tags=["health"])
    # 2 filter lookups + 6 facets + count + page + issuers prefetch, and on
    # PostgreSQL the exists() that decides on the trigram fallback: 12 at most
    # with 12 results (an N+1 would show as 20+).
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"q": "measles", "org": orgs[0].slug, "tag": "health"})
    assert response.status_code == 200
    assert len(titles(response)) == 12


def test_highlight_escapes_markup():
    text = "a <script>x</script> &amp; \ue000word\ue001"
    assert highlight(text) == "a &lt;script&gt;x&lt;/script&gt; &amp; <mark>word</mark>"


def test_search_function_starts_from_given_queryset():
    hidden = PressReleaseFactory(title="Hidden malaria", status=PressRelease.Status.DRAFT)
    shown = PressReleaseFactory(title="Public malaria")
    found = list(search(PressRelease.objects.published(), "malaria").queryset)
    assert shown in found and hidden not in found

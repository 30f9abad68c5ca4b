"""The helpers every app shares (``core``, and the prefetches and field lists
owned by one app for the others): each is the only definition of its rule,
so each is pinned here."""

from __future__ import annotations

import pytest

from core.richtext import html_to_text
from core.urls import absolute_url

SITE = "https://news.example.org"


# core.urls.absolute_url ------------------------------------------------------


@pytest.fixture
def site(settings):
    settings.NEWSROOM_SITE_URL = SITE
    return SITE


def test_absolute_url_puts_a_path_on_the_canonical_site(site):
    assert absolute_url("/releases/floods/") == f"{SITE}/releases/floods/"
    assert absolute_url("/api/v1/releases/?page=2&tag=x") == f"{SITE}/api/v1/releases/?page=2&tag=x"


def test_absolute_url_leaves_an_absolute_url_alone(site):
    assert absolute_url("https://cdn.example.net/a.jpg") == "https://cdn.example.net/a.jpg"
    assert absolute_url("http://other.example/x") == "http://other.example/x"


def test_absolute_url_without_leading_slash_stays_under_the_root(site):
    assert absolute_url("sitemap.xml") == f"{SITE}/sitemap.xml"


def test_absolute_url_reads_the_setting_at_call_time(settings):
    settings.NEWSROOM_SITE_URL = "http://127.0.0.1:8000"
    assert absolute_url("/") == "http://127.0.0.1:8000/"
    settings.NEWSROOM_SITE_URL = SITE
    assert absolute_url("/") == f"{SITE}/"


# core.richtext.html_to_text --------------------------------------------------


def test_html_to_text_keeps_paragraphs_and_tight_lists():
    html = (
        "<h2>Heading</h2><p>First &amp; <strong>bold</strong>.</p>"
        "<ul><li><p>One</p></li><li>Two<ul><li>Inner</li></ul></li></ul><p>After.</p>"
    )
    assert html_to_text(html) == "Heading\n\nFirst & bold.\n\n- One\n- Two\n  - Inner\n\nAfter."


def test_html_to_text_line_breaks_and_white_space_as_a_browser_shows_them():
    assert html_to_text("<p>a<br>b</p><p>  c\n   d  </p>") == "a\nb\n\nc d"
    # A no-break space is the author's, not layout: it stays.
    assert html_to_text("<p>10&nbsp;km</p>") == "10\u00a0km"


def test_html_to_text_gives_a_link_its_address_unless_the_text_shows_it(settings):
    settings.NEWSROOM_SITE_URL = SITE
    html = (
        '<p><a href="https://x.org/report">the report</a>, '
        '<a href="https://x.org/">x.org</a>, <a href="mailto:a@x.org">a@x.org</a>, '
        '<a href="/releases/r/">our release</a></p>'
    )
    assert html_to_text(html) == (
        f"the report (https://x.org/report), x.org, a@x.org, our release ({SITE}/releases/r/)"
    )


def test_html_to_text_one_line_is_the_words_alone():
    html = '<p>Body <a href="https://x.org">text</a></p><ul><li>One</li></ul><p>&lt;b&gt;</p>'
    assert html_to_text(html, one_line=True) == "Body text One <b>"


@pytest.mark.parametrize("empty", ["", None, "<p></p>", "<script>alert(1)</script>"])
def test_html_to_text_of_nothing_is_empty(empty):
    assert html_to_text(empty) == ""
    assert html_to_text(empty, one_line=True) == ""

"""The newsroom template helpers, on their own."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

from newsroom.templatetags.newsroom_tags import e164, elided_pages, nav_section


def _render(source: str, path: str = "/", **context) -> str:
    request = RequestFactory().get(path)
    template = Template("{% load newsroom_tags %}" + source)
    return template.render(Context({"request": request, **context}))


def test_query_replace_keeps_repeated_and_other_parameters():
    html = _render("{% query_replace page=3 %}", "/releases/?tag=a&tag=b&page=1&year=2023")
    assert html == "?tag=a&amp;tag=b&amp;page=3&amp;year=2023"


def test_query_replace_adds_and_removes():
    assert _render("{% query_replace page=2 %}", "/releases/") == "?page=2"
    assert _render("{% query_replace page=None %}", "/releases/?page=4&q=x") == "?q=x"
    assert _render("{% query_replace page=None %}", "/releases/?page=4") == "?"


def test_query_replace_escapes_hostile_values():
    html = _render("{% query_replace page=2 %}", '/releases/?q="><script>')
    assert "<script>" not in html and '"' not in html


def test_nav_current_marks_section_only():
    assert _render("{% nav_current '/releases/' %}", "/releases/x/") == ' aria-current="page"'
    assert _render("{% nav_current '/releases/' %}", "/contacts/") == ""


def test_nav_section_names_only_the_navigation_s_sections():
    """The key of the kept navigation: a made-up address must not make a
    copy of its own (``{% fixed %}`` keeps one per key and language)."""
    assert nav_section("/releases/some-release/") == "releases"
    assert nav_section("/ur/contacts/") == "contacts"
    assert nav_section("/made-up-1/") == nav_section("/made-up-2/") == nav_section("/") == ""


def test_kept_navigation_marks_the_current_section_on_every_page():
    for path, current in (
        ("/releases/x/", "Releases"),
        ("/contacts/", "Media contacts"),
        ("/made-up/", None),
        ("/releases/", "Releases"),
    ):
        html = _render(
            "{% load remembered %}{% fixed 'nav' request.path|nav_section %}"
            "<a{% nav_current '/releases/' %}>Releases</a>"
            "<a{% nav_current '/contacts/' %}>Media contacts</a>{% endfixed %}",
            path,
        )
        marked = [
            label for label in ("Releases", "Media contacts") if f'current="page">{label}' in html
        ]
        assert marked == ([current] if current else []), (path, html)


def test_elided_pages_centres_on_current_page():
    page = Paginator(range(100), 2).get_page(25)
    numbers = list(elided_pages(page))
    assert 25 in numbers and 1 in numbers and 50 in numbers
    assert Paginator.ELLIPSIS in numbers
    assert 10 not in numbers


def test_e164_filter():
    assert e164("+(92) 334 4563210") == "+923344563210"
    assert e164("not a phone") == ""
    assert e164("") == ""

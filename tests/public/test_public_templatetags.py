"""The newsroom template helpers, on their own."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

from newsroom.templatetags.newsroom_tags import e164, elided_pages


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

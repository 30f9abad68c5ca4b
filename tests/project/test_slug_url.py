"""``core.urls.slug_url`` gives exactly what ``reverse()`` gives."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from core.urls import slug_url

NAMES = ["releases:detail", "releases:organisation_detail", "releases:partnership_detail"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("slug", ["a", "press-release-2024", "under_score", "ABC-09"])
def test_same_address_as_reverse(name, slug):
    assert slug_url(name, slug) == reverse(name, kwargs={"slug": slug})


def test_a_slug_that_contains_the_placeholder_is_still_right():
    slug = "zq0slug0hole0qz-zq0slug0hole0qz"
    assert slug_url("releases:detail", slug) == reverse("releases:detail", kwargs={"slug": slug})


@pytest.mark.parametrize("slug", ["ümlaut", "a b", "a/b"])
def test_other_slugs_go_through_reverse(slug):
    try:
        expected = reverse("releases:detail", kwargs={"slug": slug})
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            slug_url("releases:detail", slug)
    else:
        assert slug_url("releases:detail", slug) == expected


def test_an_empty_slug_fails_as_reverse_does():
    with pytest.raises(NoReverseMatch):
        slug_url("releases:detail", "")


def test_the_script_prefix_is_followed():
    plain = slug_url("releases:detail", "x")
    set_script_prefix("/newsroom/")
    try:
        assert slug_url("releases:detail", "x") == "/newsroom" + plain
    finally:
        clear_script_prefix()
        set_script_prefix("/")
    assert slug_url("releases:detail", "x") == plain


@override_settings(ROOT_URLCONF="tests.project.urls_elsewhere")
def test_another_url_configuration_is_followed():
    assert slug_url("releases:detail", "x") == "/elsewhere/x/"

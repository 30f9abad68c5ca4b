"""The helpers every app shares (``core``, and the prefetches and field lists
owned by one app for the others): each is the only definition of its rule,
so each is pinned here."""

from __future__ import annotations

import pytest

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

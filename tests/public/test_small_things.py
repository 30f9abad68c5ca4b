"""Small things that looked broken (issue 12, item 14): favicon, honest promises."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ICON_LINK = '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">'


def test_public_pages_link_the_icon(client):
    assert ICON_LINK in client.get("/").text
    assert ICON_LINK in client.get("/feeds/").text


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/", "/admin/releases/pressrelease/"])
def test_admin_pages_link_the_icon(client, url):
    if url != "/admin/login/":
        client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    response = client.get(url)
    assert response.status_code == 200
    assert ICON_LINK in response.text
    assert 'id="site-name"' in response.text  # Django's branding is still there


def test_favicon_ico_answers_with_a_real_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.ico"
    path = finders.find("favicon.ico")
    assert path
    with open(path, "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # the ICO header
    assert finders.find("img/favicon.svg")


def test_media_updates_promise_only_what_exists(client):
    """Bulletins are not e-mailed by the site; e-mail alerts of releases are."""
    html = client.get("/bulletins/").text
    assert "as sent to journalists by e-mail" not in html
    assert "This site does not e-mail media updates." in html
    assert 'href="/alerts/subscribe/"' in html
    assert client.get("/alerts/subscribe/").status_code == 200

"""A release and its translations: the switcher and hreflang links name only
PUBLIC versions, the wrong language prefix redirects to the canonical address,
and staff choose the admin's language (core/i18n.py, releases/views/pages.py)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from releases.models import PressRelease
from tests.factories import PressReleaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def hreflangs(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def switcher(html: str) -> str:
    return html.split('<nav class="language-switcher"', 1)[1].split("</nav>", 1)[0]


@pytest.fixture
def story():
    english = PressReleaseFactory(language="en-gb", slug="floods")
    urdu = PressReleaseFactory(
        language="ur", slug="sailab", translation_key=english.translation_key
    )
    return english, urdu


def test_a_release_links_its_public_translation_both_ways(client, story):
    _english, _urdu = story
    html = client.get("/releases/floods/").content.decode()
    links = hreflangs(html)
    assert links["en-GB"].endswith("/releases/floods/")
    assert links["ur"].endswith("/ur/releases/sailab/")
    assert links["x-default"] == links["en-GB"]
    assert 'href="/ur/releases/sailab/"' in switcher(html)
    back = client.get("/ur/releases/sailab/").content.decode()
    assert hreflangs(back)["en-GB"].endswith("/releases/floods/")
    assert 'href="/releases/floods/"' in switcher(back)
    assert 'aria-current="page">اردو</a>' in switcher(back)


def test_an_embargoed_translation_is_never_linked(client, story):
    _english, urdu = story
    urdu.publish_at = timezone.now() + datetime.timedelta(hours=2)
    urdu.save()
    html = client.get("/releases/floods/").content.decode()
    assert "sailab" not in html
    assert set(hreflangs(html)) == {"en-GB", "x-default"}
    # The Urdu entry of the switcher goes to the Urdu home page and says why.
    assert re.search(
        r'href="/ur/"[^>]*>اردو <span[^>]*>\(ترجمہ دستیاب نہیں\)</span>', switcher(html)
    )


def test_a_draft_or_withdrawn_translation_is_not_linked_either(client, story):
    _english, urdu = story
    for status in (PressRelease.Status.DRAFT, PressRelease.Status.WITHDRAWN):
        PressRelease.objects.filter(pk=urdu.pk).update(status=status)
        html = client.get("/releases/floods/").content.decode()
        assert "sailab" not in html, status


def test_an_urdu_release_without_english_has_no_x_default(client):
    PressReleaseFactory(language="ur", slug="sirf-urdu")
    html = client.get("/ur/releases/sirf-urdu/").content.decode()
    assert set(hreflangs(html)) == {"ur"}
    assert 'href="/"' in switcher(html)  # the English home, marked not translated


def test_pages_without_own_versions_swap_the_prefix(client):
    html = client.get("/ur/contacts/?organisation=x").content.decode()
    links = hreflangs(html)
    assert links["en-GB"].endswith("/contacts/")
    assert links["ur"].endswith("/ur/contacts/")
    assert links["x-default"] == links["en-GB"]


def test_a_release_under_the_wrong_prefix_redirects_to_its_own_edition(client, story):
    response = client.get("/ur/releases/floods/?utm_source=x")
    assert response.status_code == 301
    assert response["Location"] == "/releases/floods/?utm_source=x"
    response = client.get("/releases/sailab/")
    assert response.status_code == 301
    assert response["Location"] == "/ur/releases/sailab/"


def test_an_embargoed_release_under_either_prefix_is_a_plain_404(client):
    PressReleaseFactory(
        language="ur", slug="abhi-nahin", publish_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert client.get("/releases/abhi-nahin/").status_code == 404
    assert client.get("/ur/releases/abhi-nahin/").status_code == 404


def test_staff_choose_the_admin_language(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    page = client.get("/admin/").content.decode()
    assert 'action="/i18n/setlang/"' in page and 'name="language"' in page
    response = client.post("/i18n/setlang/", {"language": "ur", "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    urdu_admin = client.get("/admin/")
    html = urdu_admin.content.decode()
    assert '<html lang="ur" dir="rtl"' in html
    with translation.override("ur"):
        log_out = gettext("Log out")  # Django's own Urdu admin catalogue
    assert log_out != "Log out" and log_out in html
    # The public pages stay named by their address, whatever the cookie says.
    assert client.get("/")["Content-Language"] == "en-GB"

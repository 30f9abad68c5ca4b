"""The URL alone names the language of a public page (core/i18n.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from core import i18n
from tests.factories import PressReleaseFactory

pytestmark = pytest.mark.django_db


def test_the_default_language_lives_at_the_root_and_urdu_at_its_prefix(client):
    english = client.get("/")
    urdu = client.get("/ur/")
    assert english.status_code == 200
    assert urdu.status_code == 200
    assert english["Content-Language"] == "en-GB"
    assert urdu["Content-Language"] == "ur"


def test_the_browser_language_does_not_change_a_public_page(client):
    """One address, one response: no Vary, so caches stay simple."""
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ur")
    assert response["Content-Language"] == "en-GB"
    assert "Accept-Language" not in response.get("Vary", "")


def test_a_language_that_is_not_configured_has_no_edition(client):
    assert client.get("/fr/").status_code == 404


def test_machine_addresses_have_no_language_edition(client):
    assert client.get("/ur/api/").status_code == 404
    assert client.get("/ur/sitemap.xml").status_code == 404


def test_a_release_lives_in_its_own_language_edition():
    english = PressReleaseFactory(slug="floods", language="en-gb")
    urdu = PressReleaseFactory(slug="sailab", language="ur")
    assert english.get_absolute_url() == "/releases/floods/"
    assert urdu.get_absolute_url() == "/ur/releases/sailab/"
    with translation.override("ur"):
        # Whatever language is active when the URL is asked for.
        assert english.get_absolute_url() == "/releases/floods/"
        assert reverse("home") == "/ur/"


def test_prefix_helpers_round_trip():
    assert i18n.split_prefix("/ur/releases/x/") == ("ur", "/releases/x/")
    assert i18n.split_prefix("/releases/x/") == ("en-gb", "/releases/x/")
    assert i18n.split_prefix("/urgent/") == ("en-gb", "/urgent/")
    assert i18n.with_prefix("/releases/x/", "ur") == "/ur/releases/x/"
    assert i18n.with_prefix("/releases/x/", "en-gb") == "/releases/x/"
    assert i18n.is_rtl("ur") and not i18n.is_rtl("en-gb")
    assert i18n.html_lang("en-gb") == "en-GB"
    assert i18n.name_local("ur") == "اردو"


def test_a_new_release_has_a_story_key_of_its_own():
    one, two = PressReleaseFactory(), PressReleaseFactory()
    assert one.translation_key != two.translation_key


def test_translations_keep_their_own_embargo():
    from django.utils import timezone

    from releases.models import PressRelease

    english = PressReleaseFactory(language="en-gb")
    urdu = PressReleaseFactory(
        language="ur",
        translation_key=english.translation_key,
        status=PressRelease.Status.PUBLISHED,
        publish_at=timezone.now() + timezone.timedelta(hours=2),
    )
    assert list(PressRelease.objects.translations_of(english)) == [urdu]
    assert not PressRelease.objects.published().translations_of(english).exists()
    assert list(PressRelease.objects.in_language("ur")) == [urdu]


def test_house_dates_speak_the_active_language():
    """An embargo told on an Urdu page is told in Urdu; English unchanged."""
    import datetime

    from django.utils import timezone

    from core.dates import house_date, house_datetime

    instant = timezone.make_aware(datetime.datetime(2026, 12, 3, 23, 5))
    assert house_datetime(instant, utc=True) == "3 Dec 2026, 23:05 PKT (18:05 UTC)"
    with translation.override("ur"):
        assert house_datetime(instant, utc=True) == "3 دسمبر 2026، 23:05 PKT (18:05 UTC)"
        assert house_date(instant.date()) == "3 دسمبر 2026"


def test_each_edition_remembers_its_own_words(client, settings):
    """Two editions asking the same question (every language) share the
    rows, not the words: remembered facets carry headings and month names."""
    PressReleaseFactory(language="en-gb", tags=["floods"])
    urdu = client.get("/ur/releases/", {"language": "all"}).content.decode()
    english = client.get("/releases/", {"language": "all"}).content.decode()
    again = client.get("/ur/releases/", {"language": "all"}).content.decode()
    assert ">موضوع<" in urdu and ">Topic<" not in urdu
    assert ">Topic<" in english and ">موضوع<" not in english
    assert ">موضوع<" in again and ">Topic<" not in again

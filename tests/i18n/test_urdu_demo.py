"""``load_demo``'s Urdu newsroom: translations linked to their English sources,
published ones on /ur/ at once, one still embargoed while its source is
public, one out of date."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from newsroom import demo_urdu
from releases.models import PressRelease
from releases.workflow import translations

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    call_command("load_demo", stdout=io.StringIO())


def test_each_urdu_release_is_a_translation_of_its_source(loaded):
    for data in demo_urdu.URDU_RELEASES:
        urdu = PressRelease.objects.get(slug=data["slug"])
        source = PressRelease.objects.get(slug=data["source"])
        assert urdu.language == "ur" and urdu.translation_key == source.translation_key
        assert urdu.translated_from == source and source.language == "en-gb"
        assert [link.organisation_id for link in urdu.issuers.all()] == [
            link.organisation_id for link in source.issuers.all()
        ]
        assert sorted(urdu.tags.names()) == sorted(source.tags.names())
        assert source.is_public


def test_the_urdu_newsroom_shows_its_releases_at_once(loaded, client):
    home = client.get("/ur/").content.decode()
    feed = client.get("/ur/feeds/releases.rss").content.decode()
    for data in demo_urdu.URDU_RELEASES:
        if data["slug"] in demo_urdu.SCHEDULED_URDU_SLUGS:
            continue
        assert client.get(f"/ur/releases/{data['slug']}/").status_code == 200
        assert data["slug"] in feed
    assert demo_urdu.URDU_RELEASES[-1]["slug"] in home
    # The English home stays English.
    assert not any(d["slug"] in client.get("/").content.decode() for d in demo_urdu.URDU_RELEASES)


def test_one_urdu_version_is_embargoed_while_its_english_source_is_public(loaded, client):
    (slug,) = demo_urdu.SCHEDULED_URDU_SLUGS
    urdu = PressRelease.objects.get(slug=slug)
    assert urdu.is_scheduled and urdu.translated_from.is_public
    assert client.get(f"/ur/releases/{slug}/").status_code == 404
    assert slug not in client.get("/ur/").content.decode()
    assert slug not in client.get("/sitemap-releases.xml").content.decode()
    english = client.get(f"/api/v1/releases/{urdu.translated_from.slug}/").json()
    assert english["translations"] == []


def test_one_urdu_version_is_out_of_date(loaded):
    stale = list(PressRelease.objects.out_of_date_translations())
    assert [r.translated_from.slug for r in stale] == [demo_urdu.OUT_OF_DATE_SOURCE]
    reason = translations.staleness(stale[0])
    assert [note.note for note in reason.notes] == [demo_urdu.OUT_OF_DATE_CHANGE["note"]]


def test_loading_twice_keeps_the_urdu_edition_as_it_is(loaded):
    before = list(PressRelease.objects.in_language("ur").values_list("slug", "modified_at"))
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "0 created, 0 updated, 0 deleted" in out.getvalue()
    after = list(PressRelease.objects.in_language("ur").values_list("slug", "modified_at"))
    assert before == after

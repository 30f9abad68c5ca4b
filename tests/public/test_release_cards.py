"""The home page's release cards are rendered once per content state: the
same HTML as the include they replace, and never a stale one."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from newsroom.caching import forget_state
from releases.models import PressRelease
from tests.factories import OrganisationFactory, PressReleaseFactory

pytestmark = pytest.mark.django_db


def _card(release: PressRelease) -> str:
    fresh = PressRelease.objects.for_listing().get(pk=release.pk)
    return render_to_string(
        "releases/_release_card.html", {"release": fresh, "heading_level": 3}
    ).strip()


def test_the_card_is_the_include_s_html(client):
    release = PressReleaseFactory(
        title="Floods: relief reaches Sindh",
        organisations=[OrganisationFactory(name="Relief Agency", acronym="RA")],
        publish_at=timezone.now() - datetime.timedelta(hours=1),
    )
    page = client.get("/").content.decode()
    assert _card(release) in page
    assert "<h3" in _card(release) and "Relief Agency" in page


def test_a_change_the_public_sees_reaches_the_card_at_once(client):
    release = PressReleaseFactory(
        title="First title", publish_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert "First title" in client.get("/").content.decode()
    assert "First title" in client.get("/").content.decode()  # the card is remembered
    release.title = "Corrected title"
    release.save()
    forget_state()
    page = client.get("/").content.decode()
    assert "Corrected title" in page and "First title" not in page


def test_an_embargoed_release_has_no_card_until_its_instant(client):
    release = PressReleaseFactory(
        title="Embargoed story",
        status=PressRelease.Status.PUBLISHED,
        publish_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert "Embargoed story" not in client.get("/").content.decode()
    PressRelease.objects.filter(pk=release.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    forget_state()
    assert "Embargoed story" in client.get("/").content.decode()

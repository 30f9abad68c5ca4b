"""Public bulletin pages show only what ``published()`` allows."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from bulletins.models import Bulletin, BulletinItem
from releases.models import PressRelease
from tests.factories import MediaContactFactory, OrganisationFactory, PressReleaseFactory

pytestmark = pytest.mark.django_db


def make_bulletin(*releases: PressRelease, **kwargs) -> Bulletin:
    bulletin = Bulletin.objects.create(
        title=kwargs.pop("title", "Media Update — 19 October 2023"),
        date=datetime.date(2023, 10, 19),
        organisation=kwargs.pop("organisation", None),
        **kwargs,
    )
    for i, release in enumerate(releases):
        BulletinItem.objects.create(bulletin=bulletin, release=release, order=i)
    return bulletin


def test_page_shows_only_public_releases_in_order(client, django_assert_max_num_queries):
    org = OrganisationFactory()
    contact = MediaContactFactory(organisation=org, phone="+(92) 334 4563210")
    second = PressReleaseFactory(title="Second public", organisations=[org])
    first = PressReleaseFactory(title="First public", organisations=[org], contacts=[contact])
    draft = PressReleaseFactory(title="Still a draft", status=PressRelease.Status.DRAFT)
    embargoed = PressReleaseFactory(
        title="Under embargo", publish_at=timezone.now() + datetime.timedelta(days=1)
    )
    bulletin = make_bulletin(first, draft, embargoed, second, organisation=org)
    with django_assert_max_num_queries(8):
        response = client.get(bulletin.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert content.index("First public") < content.index("Second public")
    assert "Still a draft" not in content and "Under embargo" not in content
    assert contact.email in content and "tel:+923344563210" in content


def test_bulletin_without_public_release_is_404_and_not_listed(client):
    draft = PressReleaseFactory(status=PressRelease.Status.DRAFT)
    embargoed = PressReleaseFactory(publish_at=timezone.now() + datetime.timedelta(hours=1))
    hidden = make_bulletin(draft, embargoed, title="Hidden update")
    empty = make_bulletin(title="Empty update")
    shown = make_bulletin(PressReleaseFactory(), title="Shown update")
    for bulletin in (hidden, empty):
        assert client.get(bulletin.get_absolute_url()).status_code == 404
        assert client.get(bulletin.get_text_url()).status_code == 404
    listing = client.get("/bulletins/").content.decode()
    assert "Shown update" in listing
    assert "Hidden update" not in listing and "Empty update" not in listing
    assert client.get(shown.get_absolute_url()).status_code == 200


def test_plain_text_version(client, settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    org = OrganisationFactory(name="Example Agency", acronym="EA")
    contact = MediaContactFactory(
        organisation=org, name="Jane Roe", email="jane@example.org", job_title="Press Officer"
    )
    private = MediaContactFactory(organisation=org, is_public=False, email="secret@example.org")
    release = PressReleaseFactory(
        title="Clinics open & reach towns",
        body="<p>First paragraph with <strong>bold</strong> &amp; more.</p><p>Second one.</p>"
        "<ul><li>One</li><li>Two</li></ul>",
        dateline_place="Geneva",
        dateline_date=datetime.date(2024, 3, 3),
        organisations=[org],
        contacts=[contact, private],
    )
    draft = PressReleaseFactory(title="Draft text", status=PressRelease.Status.DRAFT)
    bulletin = make_bulletin(release, draft, organisation=org)
    response = client.get(f"/bulletins/{bulletin.slug}.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode("utf-8")
    assert "Clinics open & reach towns" in text
    assert "Geneva, 3 March 2024 – First paragraph with bold & more.\n\nSecond one." in text
    assert "- One\n- Two" in text
    assert "<" not in text and "&amp;" not in text
    assert "Jane Roe, Press Officer, EA, jane@example.org" in text
    assert "secret@example.org" not in text and "Draft text" not in text
    assert f"https://news.example.org{release.get_absolute_url()}" in text
    assert f"https://news.example.org{bulletin.get_absolute_url()}" in text


def test_imported_bulletin_appears_once_published(client, seed_text, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "update.txt"
    path.write_text(seed_text, encoding="utf-8")
    call_command("import_releases", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    bulletin = Bulletin.objects.get()
    assert client.get(bulletin.get_absolute_url()).status_code == 404  # drafts only
    release = bulletin.items.order_by("order").first().release
    release.status = PressRelease.Status.PUBLISHED
    release.publish_at = timezone.now() - datetime.timedelta(minutes=1)
    release.save()
    page = client.get(bulletin.get_absolute_url()).content.decode()
    assert release.title in page
    assert "Empowers Stakeholders" not in page  # the second release is still a draft

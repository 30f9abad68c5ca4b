"""``generate_releases``: the archive the benchmark and budgets run against.

The command writes with ``bulk_create`` (no signals), so these tests check
what signals would otherwise have done: link rows, tags, the search vector
(PostgreSQL) and a moved content version — and that what it made is public.
"""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from taggit.models import TaggedItem

from newsroom.caching import content_state
from releases.models import PressRelease, ReleaseContact, ReleaseOrganisation
from search.query import search

pytestmark = pytest.mark.django_db


def generate(count: int, **options) -> None:
    call_command(
        "generate_releases", count=count, batch_size=4, words=60, stdout=_Sink(), **options
    )


class _Sink:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def test_rows_and_links_are_created():
    generate(10, organisations=5)
    releases = PressRelease.objects.filter(slug__startswith="gen2023-")
    assert releases.count() == 10
    ids = list(releases.values_list("pk", flat=True))
    # Every release has at least one issuer, one contact and one tag.
    assert set(
        ReleaseOrganisation.objects.filter(release__in=ids).values_list("release", flat=True)
    ) == set(ids)
    assert set(
        ReleaseContact.objects.filter(release__in=ids).values_list("release", flat=True)
    ) == set(ids)
    tagged = TaggedItem.objects.filter(
        content_type__app_label="releases", content_type__model="pressrelease", object_id__in=ids
    )
    assert set(tagged.values_list("object_id", flat=True)) == set(ids)
    # Contacts printed on a release belong to its lead issuer.
    for link in ReleaseContact.objects.filter(release__in=ids).select_related("contact"):
        lead = ReleaseOrganisation.objects.filter(release=link.release_id).order_by("order").first()
        assert link.contact.organisation_id == lead.organisation_id


def test_generated_releases_are_public_and_listed(client):
    generate(6, organisations=3)
    published = PressRelease.objects.published()
    assert published.count() == 6
    response = client.get("/releases/")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 6
    release = published.first()
    assert client.get(release.get_absolute_url()).status_code == 200


def test_a_second_run_adds_rather_than_collides():
    # One organisation: a release may ask for up to three issuers.
    generate(3, organisations=1)
    generate(3, organisations=1)
    assert PressRelease.objects.count() == 6
    assert PressRelease.objects.values("slug").distinct().count() == 6


def test_content_version_moves_so_cached_pages_are_dropped():
    before = content_state().version
    generate(2, organisations=2)
    assert content_state().version > before


def test_bad_arguments_are_refused():
    with pytest.raises(CommandError):
        generate(-1)
    with pytest.raises(CommandError):
        generate(2, organisations=0)


@pytest.mark.postgres
def test_search_vector_is_filled_on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    generate(8, organisations=3)
    assert not PressRelease.objects.filter(search_vector__isnull=True).exists()
    release = PressRelease.objects.published().first()
    # The vector carries the issuers (weight C): the lead's acronym finds it.
    acronym = release.issuers.order_by("order").first().organisation.acronym
    found = search(PressRelease.objects.published(), acronym).queryset
    assert release in list(found)
    assert (
        not search(PressRelease.objects.published(), "zyxwvut")
        .queryset.filter(pk=release.pk)
        .exists()
    )

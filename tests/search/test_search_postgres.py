"""PostgreSQL full text: the stored vector, websearch syntax, trigram fallback,
safe highlighting and the GIN index."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.utils import timezone

from releases.models import PressRelease, ReleaseOrganisation
from search.query import search
from search.vectors import update_search_vectors
from tests.factories import OrganisationFactory, PressReleaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


def matching(query: str) -> list[PressRelease]:
    return list(
        PressRelease.objects.filter(
            search_vector=SearchQuery(query, search_type="websearch", config="english")
        )
    )


def found(query: str) -> list[str]:
    return [r.title for r in search(PressRelease.objects.published(), query).queryset]


def test_vector_follows_title_change():
    release = PressReleaseFactory(title="Drought appeal")
    assert matching("drought") == [release]
    release.title = "Heatwave appeal"
    release.save()
    assert matching("drought") == []
    assert matching("heatwave") == [release]


def test_vector_follows_issuers_added_through_m2m_and_rows():
    release = PressReleaseFactory(title="Joint statement")
    assert matching("UNHCR") == []
    unhcr = OrganisationFactory(name="UN Refugee Agency", acronym="UNHCR")
    release.organisations.add(unhcr, through_defaults={"order": 0})
    assert matching("UNHCR") == [release]
    # An admin inline creates the link row directly, with no m2m_changed.
    ReleaseOrganisation.objects.create(
        release=release, organisation=OrganisationFactory(acronym="WFP", name="World Food"), order=1
    )
    assert matching("WFP") == [release]
    ReleaseOrganisation.objects.filter(release=release, organisation=unhcr).delete()
    assert matching("UNHCR") == []


def test_vector_follows_organisation_rename_and_tags():
    org = OrganisationFactory(name="Old Name Agency", acronym="ONA")
    release = PressReleaseFactory(title="Announcement", organisations=[org])
    org.name = "Renamed Authority"
    org.save()
    assert matching("renamed authority") == [release]
    release.tags.add("Polio")
    assert matching("polio") == [release]
    release.tags.remove("Polio")
    assert matching("polio") == []


def test_weights_rank_title_over_summary_over_body():
    body = PressReleaseFactory(title="B", summary="x", body="<p>locust swarms</p>")
    summary = PressReleaseFactory(title="C", summary="locust swarms", body="<p>x</p>")
    title = PressReleaseFactory(title="Locust swarms", summary="x", body="<p>x</p>")
    assert found("locust") == [title.title, summary.title, body.title]


def test_misspelled_query_uses_trigram_fallback():
    release = PressReleaseFactory(title="Balochistan earthquake response")
    PressReleaseFactory(title="Trade fair opens")
    outcome = search(PressRelease.objects.published(), "Balochsitan")
    assert [r.title for r in outcome.queryset] == [release.title]
    assert outcome.fuzzy


def test_websearch_or_phrase_and_exclusion():
    a = PressReleaseFactory(title="Dengue cases fall")
    b = PressReleaseFactory(title="Malaria nets delivered")
    c = PressReleaseFactory(title="Cases of dengue and malaria")
    assert set(found("dengue or malaria")) == {a.title, b.title, c.title}
    assert found("dengue -malaria") == [a.title]
    assert found('"dengue cases"') == [a.title]


def test_stemming_finds_other_word_forms():
    release = PressReleaseFactory(title="Families displaced by floods")
    assert found("flooding") == [release.title]


def test_headline_cannot_inject_markup(client):
    PressReleaseFactory(
        title="Safe <b>title</b> cholera",
        body="<p>Cholera &lt;script&gt;alert(1)&lt;/script&gt; vaccination</p>",
    )
    html = client.get("/search/", {"q": "cholera"}).content.decode()
    assert "<mark>Cholera</mark>" in html
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html
    assert "<b>title</b>" not in html


def test_update_search_vectors_rebuilds_all():
    release = PressReleaseFactory(title="Typhoid alert")
    PressRelease.objects.update(search_vector=None)
    assert matching("typhoid") == []
    assert update_search_vectors() >= 1
    assert matching("typhoid") == [release]


def test_explain_uses_gin_index():
    """Measured with 3,000 rows and fresh statistics (``ANALYZE``), *without*
    changing any planner setting: for a selective term (5 of 3,005 rows) the
    planner answers the text condition from ``release_search_vector_gin``,
    which shows the index exists and matches the expression the search uses.
    (The index is built with ``fastupdate = off``; with a pending list the
    planner prefers a sequential scan until a vacuum.)"""
    now = timezone.now()
    PressRelease.objects.bulk_create(
        PressRelease(
            title=f"Routine notice {i}",
            slug=f"routine-notice-{i}",
            body="<p>Office hours and logistics.</p>",
            status=PressRelease.Status.PUBLISHED,
            publish_at=now - datetime.timedelta(minutes=i + 1),
        )
        for i in range(3000)
    )
    for i in range(5):
        PressReleaseFactory(title=f"Polio round {i}")
    update_search_vectors()
    qs = search(PressRelease.objects.published(), "polio").queryset
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE releases_pressrelease")
    plan = qs.explain()
    assert "release_search_vector_gin" in plan, plan
    assert qs.count() == 5


def test_trigram_index_exists_on_title():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'release_title_trgm_gin'")
        row = cursor.fetchone()
    assert row and "gin_trgm_ops" in row[0]


def test_rebuild_command_after_bulk_writes():
    from django.core.management import call_command

    PressRelease.objects.bulk_create(
        [PressRelease(title="Bulk imported tetanus", slug="bulk", status="published")]
    )
    assert matching("tetanus") == []
    call_command("rebuild_search_vectors")
    assert [r.slug for r in matching("tetanus")] == ["bulk"]


def test_rank_vector_is_the_vector_without_the_body():
    """Ranking reads the small vector: title, summary, issuers, topics and
    place, never the body; it follows every change the full one follows."""
    release = PressReleaseFactory(
        title="Cholera response", summary="Clinics opened", body="<p>chlorine tablets</p>"
    )
    release.tags.add("Sanitation")
    row = PressRelease.objects.filter(pk=release.pk)

    def lexemes() -> str:
        return row.values_list("rank_vector", flat=True).get()

    assert "cholera" in lexemes() and "clinic" in lexemes() and "sanit" in lexemes()
    assert "chlorin" not in lexemes()
    release.title = "Typhoid response"
    release.save()
    assert "typhoid" in lexemes() and "cholera" not in lexemes()


def test_matches_beyond_the_rank_limit_are_listed_newest_first(monkeypatch):
    now = timezone.now()
    in_title = PressReleaseFactory(
        title="Locust warning", body="<p>x</p>", publish_at=now - datetime.timedelta(days=3)
    )
    PressReleaseFactory(
        title="B", body="<p>locust</p>", publish_at=now - datetime.timedelta(days=2)
    )
    PressReleaseFactory(
        title="C", body="<p>locust</p>", publish_at=now - datetime.timedelta(days=1)
    )
    assert found("locust") == ["Locust warning", "C", "B"]
    assert not search(PressRelease.objects.published(), "locust").by_date
    monkeypatch.setattr("search.query.RANK_LIMIT", 2)
    outcome = search(PressRelease.objects.published(), "locust")
    assert outcome.by_date
    assert [r.title for r in outcome.queryset] == ["C", "B", in_title.title]


def test_the_match_count_is_remembered_per_content_state(client, django_assert_num_queries):
    PressReleaseFactory(title="Locust warning")
    assert b"1 result " in client.get("/search/?q=locust").content
    # The state only: the count, the facets and the page's rows (with their
    # excerpts) are remembered for the content state.
    with django_assert_num_queries(1):
        client.get("/search/?q=locust")
    PressReleaseFactory(title="Locust swarm")  # a publish moves the state
    response = client.get("/search/?q=locust")
    assert b"</mark> swarm" in response.content and b"2 results" in response.content

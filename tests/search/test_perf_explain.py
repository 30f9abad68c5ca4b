"""EXPLAIN on a few thousand generated releases (PostgreSQL): the public
list, the place filter and search are answered from indexes, not by reading
the whole table.  bench/explain.py does the same at 100,000 releases."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from releases.models import PressRelease
from search.filters import apply_filters
from search.query import search

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


class _Sink:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


@pytest.fixture
def archive():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    call_command("generate_releases", count=3000, batch_size=1000, words=40, stdout=_Sink())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def plan(qs) -> str:
    return qs.explain()


def test_list_page_reads_the_public_list_index(archive):
    qs = PressRelease.objects.published().for_listing()[:20]
    assert "release_public_list" in plan(qs)


def test_place_filter_uses_the_case_insensitive_index(archive):
    qs, active = apply_filters(PressRelease.objects.published(), {"place": "karachi"})
    assert active
    # The facet sub-select (all matching ids, no LIMIT) is where it matters.
    assert "release_place_upper" in plan(qs.order_by().values("pk"))


def test_month_filter_is_a_range_on_the_list_index(archive):
    newest = PressRelease.objects.published().order_by("-publish_at").first().publish_at
    params = {"year": str(newest.year), "month": str(newest.month)}
    qs, active = apply_filters(PressRelease.objects.published(), params)
    assert len(active) == 2
    text = plan(qs.order_by("-publish_at", "-id")[:20])
    assert "EXTRACT" not in text.upper()
    assert "Index" in text


def test_search_uses_the_gin_index(archive):
    # A word of the generated titles that only some releases carry.
    outcome = search(PressRelease.objects.published(), "Geneva")
    assert "release_search_vector_gin" in plan(outcome.queryset.order_by().values("pk"))

"""The API's releases read their relations from one UNION ALL query
(``releases.relations``) instead of six prefetches: the same answer, for
fewer queries, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.cache import caches
from django.db.models import Prefetch
from django.utils import timezone

from api import queries, serializers
from releases import relations
from releases.models import ChangeNote, PressRelease
from releases.models.release import (
    change_notes_prefetch,
    issuers_prefetch,
    public_contacts_prefetch,
    public_partnerships_prefetch,
)
from tests.api.support import STAFF_NOTE, full_release
from tests.factories import MediaContactFactory, PartnershipFactory, PressReleaseFactory

pytestmark = pytest.mark.django_db


def _prefetched() -> list[PressRelease]:
    """The releases as the API loaded them before: one prefetch per relation."""
    return list(
        PressRelease.objects.published()
        .order_by("-publish_at", "-id")
        .prefetch_related(
            issuers_prefetch(parents=False),
            public_contacts_prefetch(),
            public_partnerships_prefetch(order_by=("title", "id")),
            Prefetch("tags"),
            "images",
            change_notes_prefetch(),
        )
    )


def _archive() -> None:
    now = timezone.now()
    first = full_release(publish_at=now - datetime.timedelta(hours=2), tags=["b", "A", "c"])
    # Several rows per relation, in an order only the ordering decides.
    ChangeNote.objects.create(release=first, note="A second correction.")
    first.partnerships.add(PartnershipFactory(title="Alpha accord"))
    first.partnerships.add(PartnershipFactory(title="Zulu accord", status="draft"))
    full_release(publish_at=now - datetime.timedelta(hours=1))
    PressReleaseFactory(publish_at=now - datetime.timedelta(hours=3))  # no relation at all
    PressReleaseFactory(
        contacts=[MediaContactFactory(is_active=False)],
        publish_at=now - datetime.timedelta(hours=4),
    )


def test_one_query_gives_the_same_answer_as_the_prefetches(django_assert_num_queries):
    _archive()
    expected = [serializers.release(item) for item in _prefetched()]
    items = list(queries.releases())
    with django_assert_num_queries(1):
        queries.load_release_relations(items)
    with django_assert_num_queries(0):
        got = [serializers.release(item) for item in items]
    assert got == expected
    # The comparison has something to compare.
    rich = got[1]
    assert [len(rich[k]) for k in ("source", "contacts", "partnerships", "tags")] == [2, 1, 2, 3]
    assert len(rich["change_notes"]) == 2 and len(rich["images"]) == 1
    assert [p["title"] for p in rich["partnerships"]] == sorted(
        p["title"] for p in rich["partnerships"]
    )
    assert got[2]["contacts"] == [] and got[3]["contacts"] == []


def test_hidden_rows_stay_hidden_and_staff_notes_are_not_even_loaded():
    release = full_release(publish_at=timezone.now() - datetime.timedelta(hours=1))
    release.partnerships.add(PartnershipFactory(title="Draft accord", status="draft"))
    items = list(queries.releases())
    queries.load_release_relations(items)
    (item,) = items
    assert len(item.public_contact_links) == 1
    assert "Draft accord" not in [p.title for p in item.partnerships.all()]
    contact = item.public_contact_links[0].contact
    assert contact.get_deferred_fields() >= {"staff_notes"}
    assert STAFF_NOTE.encode() not in json.dumps(serializers.release(item)).encode()


def test_parents_of_issuers_come_in_the_same_query(django_assert_num_queries):
    release = full_release(publish_at=timezone.now() - datetime.timedelta(hours=1))
    lead = release.issuers.first().organisation
    parent = type(lead).objects.create(name="Parent body", slug="parent-body")
    type(lead).objects.filter(pk=lead.pk).update(parent=parent)
    items = [PressRelease.objects.get(pk=release.pk)]
    with django_assert_num_queries(1):
        relations.load(items, [relations.issuers(parents=True)])
    with django_assert_num_queries(0):
        links = list(items[0].issuers.all())
        assert links[0].organisation.parent.name == "Parent body"
        assert links[1].organisation.parent is None


def test_the_cold_api_list_needs_at_most_four_queries(client, django_assert_max_num_queries):
    _archive()
    for _ in range(20):
        full_release(publish_at=timezone.now() - datetime.timedelta(days=1))
    for url in ("/api/v1/releases/?page_size=100", "/api/v1/releases/?page_size=2&page=2"):
        caches["default"].clear()
        with django_assert_max_num_queries(4):
            response = client.get(url)
        assert response.status_code == 200
        assert json.loads(response.content)["count"] == 24


def test_the_union_is_compiled_once_per_number_of_releases(django_assert_num_queries):
    """Later calls only bind the ids: each release still gets its own rows."""
    now = timezone.now()
    first = full_release(publish_at=now - datetime.timedelta(hours=2), tags=["one"])
    second = full_release(publish_at=now - datetime.timedelta(hours=1), tags=["two", "three"])
    relations._COMPILED.clear()
    for order in ([first.pk, second.pk], [second.pk, first.pk]):
        items = [queries.releases().get(pk=pk) for pk in order]
        with django_assert_num_queries(1):
            queries.load_release_relations(items)
        tags = {item.pk: sorted(tag.name for tag in item.tags.all()) for item in items}
        assert tags == {first.pk: ["one"], second.pk: ["three", "two"]}
    assert len(relations._COMPILED) == 1
    single = [PressRelease.objects.get(pk=second.pk)]
    queries.load_release_relations(single)
    assert sorted(tag.name for tag in single[0].tags.all()) == ["three", "two"]
    assert len(relations._COMPILED) == 2

"""apply_filters / facet_counts: combinable filters, right counts, bad input."""

from __future__ import annotations

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from releases.models import PressRelease
from search.filters import apply_filters, facet_counts, filter_context
from tests.factories import OrganisationFactory, PartnershipFactory, PressReleaseFactory

pytestmark = pytest.mark.django_db


def at(year: int, month: int) -> datetime.datetime:
    return datetime.datetime(year, month, 15, 12, tzinfo=datetime.UTC)


@pytest.fixture
def archive():
    iom = OrganisationFactory(name="IOM Pakistan", acronym="IOM", slug="iom")
    ndma = OrganisationFactory(name="Disaster Authority", acronym="NDMA", slug="ndma")
    mou = PartnershipFactory(slug="mou")
    r1 = PressReleaseFactory(
        title="r1", organisations=[iom], tags=["Floods"], publish_at=at(2023, 10)
    )
    r1.partnerships.add(mou)
    r2 = PressReleaseFactory(
        title="r2", organisations=[iom, ndma], tags=["Floods", "Health"], publish_at=at(2023, 3)
    )
    r3 = PressReleaseFactory(
        title="r3",
        organisations=[ndma],
        tags=["Health"],
        publish_at=at(2022, 10),
        dateline_place="Karachi",
    )
    # Never counted or listed: not public.
    PressReleaseFactory(
        title="embargoed",
        organisations=[iom],
        tags=["Floods"],
        publish_at=timezone.now() + datetime.timedelta(days=2),
    )
    PressReleaseFactory(
        title="withdrawn",
        organisations=[iom],
        tags=["Floods"],
        status=PressRelease.Status.WITHDRAWN,
        publish_at=at(2023, 10),
    )
    return {"r1": r1, "r2": r2, "r3": r3, "iom": iom, "ndma": ndma}


def run(params: str):
    return apply_filters(PressRelease.objects.published(), QueryDict(params))


def names(qs) -> set[str]:
    return set(qs.values_list("title", flat=True))


def test_filters_combine(archive):
    qs, active = run("org=iom&tag=floods&year=2023")
    assert names(qs) == {"r1", "r2"}
    assert [a.param for a in active] == ["organisation", "tag", "year"]
    qs, _ = run("org=iom&tag=health&year=2023")
    assert names(qs) == {"r2"}
    qs, _ = run("org=ndma&year=2022&month=10&place=karachi")
    assert names(qs) == {"r3"}
    qs, _ = run("partnership=mou")
    assert names(qs) == {"r1"}
    qs, _ = run("year=2023&month=3")
    assert names(qs) == {"r2"}


def test_no_duplicate_rows_with_several_issuers(archive):
    qs, _ = run("org=iom")
    titles = list(qs.values_list("title", flat=True))
    assert sorted(titles) == ["r1", "r2"]


def test_facet_counts(archive, django_assert_num_queries):
    qs, _ = run("")
    with django_assert_num_queries(1):  # six aggregates in one UNION ALL
        facets = facet_counts(qs)
    as_dict = {k: {f.value: f.count for f in v} for k, v in facets.items()}
    assert as_dict["organisations"] == {"iom": 2, "ndma": 2}
    assert as_dict["tags"] == {"floods": 2, "health": 2}
    assert as_dict["years"] == {"2023": 2, "2022": 1}
    assert as_dict["months"] == {"3": 1, "10": 2}
    assert as_dict["places"] == {"Islamabad": 2, "Karachi": 1}
    assert as_dict["partnerships"] == {"mou": 1}

    qs, _ = run("tag=health")
    facets = facet_counts(qs)
    assert {f.value: f.count for f in facets["organisations"]} == {"iom": 1, "ndma": 2}
    assert {f.value: f.count for f in facets["years"]} == {"2023": 1, "2022": 1}


@pytest.mark.parametrize(
    "params",
    [
        "org=nope",
        "tag=nope",
        "partnership=nope",
        "year=abc",
        "year=-1",
        "year=99999999999999999999",
        "year=2023&month=13",
        "month=5",
        "month=%ff",
        "org=a%00b",
        "place=" + "x" * 10_000,
        "org=" + "x" * 10_000,
    ],
)
def test_invalid_values_are_ignored_with_a_message(archive, params):
    qs, active = run(params)
    assert names(qs) <= {"r1", "r2", "r3"}
    assert active.errors
    assert "year" not in active.as_params() or active.as_params()["year"].isdigit()


def test_invalid_values_on_the_page_never_500(archive, client):
    response = client.get("/search/?org=nope&year=abc&month=13&tag=%ff&page=0")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unknown organisation" in html
    assert len(response.context["page_obj"].object_list) == 3


def test_filter_context_links_toggle_and_keep_the_rest(archive):
    params = QueryDict("q=aid&org=iom&page=3")
    qs, active = apply_filters(PressRelease.objects.published(), params)
    context = filter_context(params, active, facet_counts(qs))
    groups = {g["param"]: g for g in context["facet_groups"]}
    iom = next(link for link in groups["organisation"]["links"] if link.label == "IOM Pakistan")
    assert iom.selected and iom.url == "?q=aid"  # clicking again removes it
    floods = next(link for link in groups["tag"]["links"] if link.label == "Floods")
    assert floods.url == "?q=aid&organisation=iom&tag=floods"
    assert "month" not in groups  # months are offered once a year is chosen
    assert context["active_removals"][0]["url"] == "?q=aid"


def test_search_page_shows_counts(archive, client):
    html = client.get("/search/", {"year": "2023"}).content.decode()
    assert 'IOM Pakistan</a> <span class="count">(2)</span>' in html
    assert 'Disaster Authority</a> <span class="count">(1)</span>' in html

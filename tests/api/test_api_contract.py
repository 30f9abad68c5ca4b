"""The API and its OpenAPI document agree on what a valid request is
(issue 19: what schemathesis found).

Each case sends a request the document calls invalid and expects the
documented 400 (or the API's JSON 404), and each valid spelling the
document admits is accepted: the parser and the document share their
patterns (api.params), and these tests hold both to them.
"""

from __future__ import annotations

import json
import re

import pytest

from api.openapi import build_openapi

pytestmark = pytest.mark.django_db


def _parameter(name: str) -> dict:
    return build_openapi()["components"]["parameters"][name]


@pytest.mark.parametrize(
    "query",
    [
        "page_size=",
        "page=",
        "page=1&page=2",
        "page_size=10&page_size=20",
        "page=%201",
        "page=1%0A",
        "page=%2B1",
        "organisation=iom&organisation=unhcr",
        "tag=floods%0A",
        "partnership=a%20b",
        "tag=a/b",
        "published_after=%20",
        "published_after=2023-10-18%0A",
        "published_after=yesterday",
        "updated_since=2023-13-45",
        "published_after=2023-02-29",
        "published_after=2023-04-31",
        "published_after=2023-10-18T24:00",
        "page=1000001",
        "page=99999999999999999999",
    ],
)
def test_requests_the_document_calls_invalid_get_its_400(client, query):
    response = client.get(f"/api/v1/releases/?{query}")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"]["code"] == "invalid_parameter"


@pytest.mark.parametrize(
    "query",
    [
        "page=1",
        "page_size=5",
        "organisation=",  # a blank filter is no filter, and the document says so
        "tag=flood-relief_2023",
        "published_after=2023-10-18",
        "published_after=2023-10-18T09:00",
        "published_after=2023-10-18T09:00:00Z",
        "published_after=2023-10-18T09:00:00.5%2B05:00",
        "published_after=2023-10-18T09:00%2B0500",
        "published_after=2023-10-18T09:00+05:00",  # "+" arrived as a space
        "published_before=9999-12-31T23:59:59-12:00",  # past the calendar's end: all
        "published_after=0001-01-01T00:00%2B05:00",
        "published_after=2024-02-29",
        "page_size=100",
    ],
)
def test_valid_spellings_are_accepted(client, query):
    response = client.get(f"/api/v1/releases/?{query}")
    assert response.status_code == 200, response.content


def test_a_window_that_closes_before_it_opens_is_empty_not_an_error(client):
    response = client.get(
        "/api/v1/releases/?published_after=2023-10-20&published_before=2023-10-18"
    )
    assert response.status_code == 200
    assert json.loads(response.content)["count"] == 0


def test_the_document_declares_the_parsers_patterns():
    """What the document declares is what the parser accepts, value by value."""
    slug = re.compile(_parameter("tag")["schema"]["pattern"])
    instant = re.compile(_parameter("published_after")["schema"]["pattern"])
    for good in ("", "iom-pakistan", "caf_2023", "balochistán", "سیلاب"):
        assert slug.fullmatch(good)
    for bad in ("a b", "a/b", "a\n", "a\x00", "a.b", "a?b", "a%0Ab"):
        assert not slug.fullmatch(bad)
    for good in (
        "",
        "2023-10-18",
        "2023-10-18T09:00:00Z",
        "2023-10-18 09:00 05:00",
        "2000-02-29",
        "2024-02-29T23:59:59.999999-11:30",
    ):
        assert instant.fullmatch(good)
    for bad in ("yesterday", "18/10/2023", " ", "2023-02-29", "1900-02-29", "0000-01-01"):
        assert not instant.fullmatch(bad)
    for name in ("organisation", "org", "partnership"):
        assert _parameter(name)["schema"]["pattern"] == _parameter("tag")["schema"]["pattern"]
    assert _parameter("slug")["schema"]["pattern"] == "^[-A-Za-z0-9_]+$"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/releases/a%0Ab/",
        "/api/v1/releases/%0A/",
        "/api/v1/organisations/caf%C3%A9/",
        "/api/v1/nothing%0Ahere/",
    ],
)
def test_a_slug_with_a_control_character_gets_the_apis_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"]["code"]

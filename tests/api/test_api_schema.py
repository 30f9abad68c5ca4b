"""The OpenAPI document is sound, complete, and every answer matches it."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import URLPattern
from jsonschema import Draft202012Validator

from api import urls as api_urls
from api.openapi import build_openapi
from tests.api.support import DOC_URI, assert_valid, validator_for, world  # noqa: F401

pytestmark = pytest.mark.django_db


def _local_refs(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in _local_refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _local_refs(value)]
    return []


def test_document_is_served_as_json_and_is_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.1")
    assert document == json.loads(json.dumps(build_openapi()))
    assert document["servers"][0]["url"].endswith("/api/v1")


def test_every_component_schema_is_valid_json_schema():
    document = build_openapi()
    for name, schema in document["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
        assert schema.get("type") == "object", name


def test_every_reference_resolves():
    document = build_openapi()
    refs = _local_refs(document)
    assert refs
    for ref in refs:
        node = document
        for part in ref.removeprefix("#/").split("/"):
            assert part in node, f"{ref} does not resolve"
            node = node[part]


def test_every_object_schema_is_closed():
    """A leaked field (say ``staff_notes``) must fail validation, not pass silently."""

    def objects(node):
        if isinstance(node, dict):
            if node.get("type") == "object":
                yield node
            for value in node.values():
                yield from objects(value)
        elif isinstance(node, list):
            for value in node:
                yield from objects(value)

    found = list(objects(build_openapi()["components"]["schemas"]))
    assert found
    for schema in found:
        assert schema.get("additionalProperties") is False, schema


def test_documented_paths_are_exactly_the_json_endpoints():
    documented = set(build_openapi()["paths"])
    served = set()
    for pattern in api_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name in {"index", "openapi", "not_found"}:
            continue
        route = str(pattern.pattern).removeprefix("v1")
        served.add(re.sub(r"<slug:(\w+)>", r"{\1}", route))
    assert documented == served


def test_schema_rejects_an_undocumented_field():
    document = build_openapi()
    validator = validator_for({"$ref": DOC_URI + "#/components/schemas/Contact"}, document)
    contact = {
        "id": 1,
        "name": "A",
        "honorific": "",
        "full_name": "A",
        "job_title": "",
        "organisation": {
            "id": 1,
            "name": "O",
            "acronym": "",
            "slug": "o",
            "url": "https://x.example/o/",
            "api_url": "https://x.example/api/v1/organisations/o/",
        },
        "email": "",
        "phone": "",
        "phone_e164": "",
        "vcard_url": "https://x.example/contacts/1.vcf",
    }
    assert validator.is_valid(contact)
    assert not validator.is_valid({**contact, "staff_notes": "secret"})
    assert not validator.is_valid({**contact, "vcard_url": "/relative"})


ENDPOINTS = [
    ("/releases/", lambda w: "/api/v1/releases/"),
    ("/releases/{slug}/", lambda w: f"/api/v1/releases/{w.published.slug}/"),
    ("/organisations/", lambda w: "/api/v1/organisations/"),
    ("/organisations/{slug}/", lambda w: f"/api/v1/organisations/{w.lead.slug}/"),
    ("/contacts/", lambda w: "/api/v1/contacts/"),
    ("/partnerships/", lambda w: "/api/v1/partnerships/"),
    ("/partnerships/{slug}/", lambda w: f"/api/v1/partnerships/{w.partnership.slug}/"),
]


@pytest.mark.parametrize(("path", "url"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_every_endpoint_answers_what_the_document_promises(client, world, path, url):  # noqa: F811
    response = client.get(url(world))
    assert response.status_code == 200
    data = assert_valid(response, path)
    assert data


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("/releases/", "/api/v1/releases/?page=-1"),
        ("/releases/", "/api/v1/releases/?updated_since=garbage"),
        ("/releases/{slug}/", "/api/v1/releases/no-such-release/"),
        ("/organisations/{slug}/", "/api/v1/organisations/no-such-org/"),
        ("/partnerships/{slug}/", "/api/v1/partnerships/secret-draft/"),
        ("/contacts/", "/api/v1/contacts/?page_size=abc"),
    ],
)
def test_errors_answer_with_the_documented_error_shape(client, world, path, url):  # noqa: F811
    response = client.get(url)
    assert response.status_code in {400, 404}
    data = assert_valid(response, path)
    assert data["error"]["code"] and data["error"]["message"]


def test_release_fields_hold_the_release(client, world, settings):  # noqa: F811
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    data = assert_valid(
        client.get(f"/api/v1/releases/{world.published.slug}/"), "/releases/{slug}/"
    )
    release = world.published
    assert data["id"] == release.pk
    assert data["title"] == release.title
    assert data["url"] == f"https://news.example.org/releases/{release.slug}/"
    assert data["api_url"] == f"https://news.example.org/api/v1/releases/{release.slug}/"
    assert data["body_text"] == "First paragraph & more.\n\n- One\n- Two"
    assert data["dateline"] == {"place": "Islamabad", "date": "2023-10-18"}
    assert [s["slug"] for s in data["source"]] == ["ga-pk", "rc"]
    assert [s["role"] for s in data["source"]] == ["lead", "co-issuer"]
    assert data["source"][0]["website"] == "https://agency.example.org/"
    assert [t["name"] for t in data["tags"]] == ["Human rights", "Migration"]
    assert [p["slug"] for p in data["partnerships"]] == ["rights-mou"]
    assert [c["name"] for c in data["contacts"]] == ["Amina Khan"]
    assert data["contacts"][0]["phone_e164"] == "+92511234567"
    assert data["images"][0]["alt"] == "Two officials shake hands"
    assert (data["images"][0]["width"], data["images"][0]["height"]) == (12, 8)
    assert data["change_notes"][0]["note"] == "Corrected a figure."
    assert data["date_published"].endswith("Z")
    assert data["date_changed"] == data["date_published"]

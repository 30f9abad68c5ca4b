"""HTTP behaviour of the API: caching validators, CORS, methods, docs page."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date

from api.openapi import build_openapi
from contacts.models import MediaContact, Organisation, Partnership
from newsroom.models import ContentVersion
from releases.models import PressRelease
from tests.api.support import DOC_URI, validator_for, world  # noqa: F401

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/releases/",
    "/api/v1/releases/agreement-signed/",
    "/api/v1/organisations/",
    "/api/v1/organisations/ga-pk/",
    "/api/v1/contacts/",
    "/api/v1/partnerships/",
    "/api/v1/partnerships/rights-mou/",
    "/api/v1/openapi.json",
]


@pytest.mark.parametrize("url", URLS)
def test_every_endpoint_sends_validators_cors_and_cache_control(client, world, url):  # noqa: F811
    response = client.get(url)
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize("url", URLS)
def test_if_none_match_gives_304(client, world, url):  # noqa: F811
    etag = client.get(url)["ETag"]
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.get(url, headers={"if-none-match": '"something-else"'}).status_code == 200


@pytest.mark.parametrize("url", URLS)
def test_if_modified_since_gives_304(client, world, url):  # noqa: F811
    last_modified = client.get(url)["Last-Modified"]
    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 304
    earlier = http_date(timezone.now().timestamp() - 10 * 86400)
    assert client.get(url, headers={"if-modified-since": earlier}).status_code == 200


def test_an_edit_changes_the_etag_and_last_modified(client, world):  # noqa: F811
    url = "/api/v1/releases/"
    first = client.get(url)
    release = world.published
    release.title = "A corrected title"
    release.save()
    # Even within the same second, If-None-Match wins over If-Modified-Since.
    response = client.get(
        url,
        headers={"if-none-match": first["ETag"], "if-modified-since": first["Last-Modified"]},
    )
    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert b"A corrected title" in response.content


def test_withdrawal_moves_last_modified(client, world):  # noqa: F811
    """A release leaving the list must not leave clients with a stale 304."""
    url = "/api/v1/releases/"
    before = client.get(url)
    later = timezone.now() + datetime.timedelta(seconds=5)
    PressRelease.objects.filter(pk=world.older.pk).update(
        status=PressRelease.Status.WITHDRAWN, modified_at=later
    )
    response = client.get(url, headers={"if-modified-since": before["Last-Modified"]})
    assert response.status_code == 200
    assert world.older.slug.encode() not in response.content


def test_embargo_lifting_moves_last_modified(client, world):  # noqa: F811
    url = "/api/v1/releases/"
    # Nothing has been edited since the published release went out...
    then = world.published.publish_at
    PressRelease.objects.update(modified_at=then)
    for model in (Organisation, MediaContact, Partnership):
        model.objects.update(updated_at=then)
    ContentVersion.objects.update(changed_at=then)  # the last public change, too
    since = http_date(then.timestamp() + 60)
    assert client.get(url, headers={"if-modified-since": since}).status_code == 304
    # ...and the embargo lifting edits no row, yet clients must see the release.
    embargoed = world.hidden["embargoed"]
    PressRelease.objects.filter(pk=embargoed.pk).update(publish_at=timezone.now())
    response = client.get(url, headers={"if-modified-since": since})
    assert response.status_code == 200
    assert embargoed.slug.encode() in response.content


@pytest.mark.parametrize("url", URLS)
def test_preflight_is_answered(client, world, url):  # noqa: F811
    response = client.options(
        url,
        headers={
            "origin": "https://aggregator.example",
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "if-none-match" in response["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_405_json_even_with_csrf_checks(world, method):  # noqa: F811
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)("/api/v1/releases/", data={})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    assert data["error"]["code"] == "method_not_allowed"
    document = build_openapi()
    validator_for({"$ref": DOC_URI + "#/components/schemas/Error"}, document).validate(data)
    assert PressRelease.objects.count() == 5


def test_head_is_answered_without_body(client, world):  # noqa: F811
    response = client.head("/api/v1/releases/")
    assert response.status_code == 200
    assert response.content == b""
    assert response["ETag"]


def test_unknown_api_path_is_json_404(client, db):
    response = client.get("/api/v1/press-releases/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"]["code"] == "not_found"
    # A missing trailing slash still redirects to the real endpoint.
    assert client.get("/api/v1/releases").status_code == 301


def test_errors_are_not_cached(client, world):  # noqa: F811
    response = client.get("/api/v1/releases/embargoed-release/")
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_documentation_page(client, db, settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    response = client.get("/api/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "curl -s 'https://news.example.org/api/v1/releases/?page_size=5'" in html
    assert 'href="/api/v1/openapi.json"' in html
    for path in ["/releases/", "/organisations/{slug}/", "/contacts/", "/partnerships/"]:
        assert f"https://news.example.org/api/v1{path}" in html
    for parameter in ["updated_since", "published_after", "page_size"]:
        assert f"<code>{parameter}</code>" in html


def test_the_compiled_freshness_query_binds_each_request_s_instant(world):  # noqa: F811
    """The freshness SQL is compiled once (api.http._compiled_freshness); every
    call must put its own ``now`` where the stand-in instant was, and answer
    exactly as a freshly composed query."""
    from django.db import connection

    from api.http import _COMPILE_NOW, _compiled_freshness, _freshness_parts
    from api.views import ALL_SOURCES

    sources = frozenset(ALL_SOURCES)
    for now in (timezone.now(), timezone.now() + datetime.timedelta(days=400)):
        sql, params, stamped = _compiled_freshness(sources, now)
        adapted = connection.ops.adapt_datetimefield_value(_COMPILE_NOW)
        assert _COMPILE_NOW not in params and adapted not in params
        parts, composed_stamped = _freshness_parts(sources, now)
        composed = []
        for part in parts:
            composed.extend(part.query.sql_with_params()[1])
        assert stamped == composed_stamped and params == composed
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            assert cursor.fetchone() is not None

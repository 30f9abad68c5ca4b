"""The read API: plain Django views returning JSON.

Thin on purpose: parameters are parsed in :mod:`api.params`, querysets come
from :mod:`api.queries`, shapes from :mod:`api.serializers`, and HTTP
concerns (CORS, ETag, 304, JSON errors) from :mod:`api.http`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from api import queries, serializers
from api.http import (
    CONTACTS,
    ORGANISATIONS,
    PARTNERSHIPS,
    RELEASES,
    ApiError,
    Freshness,
    api_endpoint,
    content_freshness,
    json_response,
    remembered_json_response,
)
from api.openapi import API_ROOT, build_openapi
from api.params import get_datetime, get_language_filter, get_slug, paginate
from core.http import public_cache_exempt
from core.urls import absolute_url

ALL_SOURCES = (RELEASES, ORGANISATIONS, CONTACTS, PARTNERSHIPS)


def _list_response(
    request: HttpRequest,
    qs: QuerySet | Callable[[], QuerySet],
    sources: Iterable[str],
    serialize: Callable[[Any], dict[str, Any]],
    load: Callable[[list[Any]], Any] | None = None,
) -> HttpResponse:
    """One page of ``qs`` in the list envelope, dated by ``sources``.

    The content date is one query (``content_freshness``); the answer is
    built only when no answer is kept for that date and this query string
    (``remembered_json_response``), and the row count comes with the page's
    rows (``paginate``), so a cold answer needs no COUNT query either.
    ``load`` fills the relations of the page's rows once the page is cut.
    ``qs`` may be a function returning the queryset, so that a repeat or a
    304, answered from the memo, composes no queryset at all.
    """

    def build() -> dict[str, Any]:
        page = paginate(request, qs() if callable(qs) else qs)  # count comes with the rows
        if load is not None:
            load(page.items)
        return page.envelope([serialize(item) for item in page.items])

    return remembered_json_response(request, content_freshness(sources), build)


@api_endpoint
def release_list(request: HttpRequest) -> HttpResponse:
    # Every parameter is read (and a bad one refused) first; the queryset is
    # composed only if the answer is not remembered.
    organisation = get_slug(request, "organisation")
    tag = get_slug(request, "tag")
    partnership = get_slug(request, "partnership")
    language = get_language_filter(request)
    after = get_datetime(request, "published_after")
    before = get_datetime(request, "published_before")
    since = get_datetime(request, "updated_since")

    def releases() -> QuerySet:
        qs = queries.releases()
        if organisation:
            qs = qs.filter(organisations__slug=organisation)
        if tag:
            qs = qs.filter(tags__slug=tag)
        if partnership:
            qs = qs.filter(partnerships__slug=partnership)
        if language:
            qs = qs.in_language(language)
        # A window that closes before it opens is a question with an empty
        # answer, not a malformed request: each value is valid on its own, which
        # is all the OpenAPI document can say (and schemathesis holds us to).
        if after:
            qs = qs.filter(publish_at__gte=after)
        if before:
            qs = qs.filter(publish_at__lt=before)
        if since:
            # Edited since, or became public since: a release scheduled last week
            # whose embargo lifted an hour ago is news to a harvester too.
            qs = qs.filter(Q(modified_at__gte=since) | Q(publish_at__gte=since))
        return qs

    return _list_response(
        request, releases, ALL_SOURCES, serializers.release, queries.load_release_relations
    )


@api_endpoint
def release_detail(request: HttpRequest, slug: str) -> HttpResponse:

    def build() -> dict[str, Any]:
        item = get_object_or_404(queries.releases(), slug=slug)
        queries.load_release_relations([item])
        return serializers.release(item)

    return remembered_json_response(request, content_freshness(ALL_SOURCES), build)


@api_endpoint
def organisation_list(request: HttpRequest) -> HttpResponse:
    qs = queries.organisations()
    return _list_response(request, qs, [ORGANISATIONS], serializers.organisation)


@api_endpoint
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    freshness = content_freshness([ORGANISATIONS, CONTACTS, PARTNERSHIPS])
    org = get_object_or_404(queries.organisations(), slug=slug)
    contacts = list(queries.contacts().filter(organisation=org))
    partnerships = list(
        queries.partnerships().filter(pk__in=org.memberships.values("partnership_id"))
    )
    return json_response(
        request, serializers.organisation_detail(org, contacts, partnerships), freshness
    )


@api_endpoint
def contact_list(request: HttpRequest) -> HttpResponse:
    qs = queries.contacts()
    if slug := get_slug(request, "organisation"):
        qs = qs.filter(organisation__slug=slug)
    return _list_response(request, qs, [CONTACTS, ORGANISATIONS], serializers.contact)


@api_endpoint
def partnership_list(request: HttpRequest) -> HttpResponse:
    qs = queries.partnerships()
    return _list_response(request, qs, [PARTNERSHIPS, ORGANISATIONS], serializers.partnership)


@api_endpoint
def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    freshness = content_freshness([PARTNERSHIPS, ORGANISATIONS, RELEASES])
    item = get_object_or_404(queries.partnerships(), slug=slug)
    releases = list(queries.release_refs().filter(partnerships=item))
    return json_response(request, serializers.partnership_detail(item, releases), freshness)


#: The document changes only with a deploy; its file's date stands for it.
OPENAPI_MODIFIED = datetime.datetime.fromtimestamp(
    (Path(__file__).parent / "openapi.py").stat().st_mtime, tz=datetime.UTC
)


@api_endpoint
def openapi_document(request: HttpRequest) -> HttpResponse:
    # No content, no embargo: the full lifetime.
    return json_response(request, build_openapi(), Freshness(OPENAPI_MODIFIED))


@api_endpoint
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """JSON 404 for any other URL under /api/v1/, so clients never parse HTML."""
    raise ApiError(404, "not_found", f"There is no API endpoint at {request.path}.")


@public_cache_exempt  # static documentation: no content state to ask
def index(request: HttpRequest) -> HttpResponse:
    """The human page: what the API offers and how to call it."""
    document = build_openapi()
    endpoints = [
        {
            "path": path,
            "summary": operation["get"]["summary"],
            "description": operation["get"].get("description", ""),
            "parameters": [
                document["components"]["parameters"][p["$ref"].rsplit("/", 1)[-1]]
                if "$ref" in p
                else p
                for p in operation["get"].get("parameters", [])
            ],
        }
        for path, operation in document["paths"].items()
    ]
    return render(
        request,
        "api/index.html",
        {
            "base_url": absolute_url(API_ROOT),
            "endpoints": endpoints,
            "max_page_size": 100,
            "default_page_size": settings.NEWSROOM_PAGE_SIZE,
        },
    )

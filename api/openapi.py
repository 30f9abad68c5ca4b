"""The OpenAPI 3.1 description of the read API, written by hand.

Hand-written rather than generated so that it says what we promise, field by
field.  Every object schema sets ``additionalProperties: false``: the test
suite validates every response against these schemas, so a field added to a
serializer without being documented here — or a private one such as
``staff_notes`` leaking — fails the build.  Enumerations come from the model
choices so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from api.params import (
    INSTANT_PATTERN,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_SLUG_LENGTH,
    PATH_SLUG_PATTERN,
    SLUG_PATTERN,
    language_filter_values,
)
from contacts.models import Organisation, Partnership, PartnershipMember
from core.params import FILTER_ALIASES
from core.urls import absolute_url
from releases.models import ReleaseContact

Schema = dict[str, Any]

#: Where the API lives on the site (``api/urls.py`` under ``newsroom/urls.py``);
#: the "server" of the document and the base of every path in it.
API_ROOT = "/api/v1"

STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
URI: Schema = {"type": "string", "format": "uri"}
NULLABLE_URI: Schema = {"type": ["string", "null"], "format": "uri"}
DATE_TIME: Schema = {"type": "string", "format": "date-time"}
NULLABLE_DATE: Schema = {"type": ["string", "null"], "format": "date"}
#: Blank ("") when the organisation or contact has none.
OPTIONAL_EMAIL: Schema = {"type": "string", "anyOf": [{"format": "email"}, {"maxLength": 0}]}
OPTIONAL_URI: Schema = {"type": "string", "anyOf": [{"format": "uri"}, {"maxLength": 0}]}
#: Query filters: the parser's own patterns (api.params), blank meaning no filter.
SLUG_FILTER: Schema = {"type": "string", "pattern": SLUG_PATTERN, "maxLength": MAX_SLUG_LENGTH}
INSTANT_FILTER: Schema = {"type": "string", "pattern": INSTANT_PATTERN}
PATH_SLUG: Schema = {
    "type": "string",
    "pattern": PATH_SLUG_PATTERN,
    "maxLength": MAX_SLUG_LENGTH,
}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict[str, Schema], description: str = "") -> Schema:
    """A closed object: every property required, nothing else allowed."""
    schema: Schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def page_of(name: str) -> Schema:
    return obj(
        {
            "count": {**INTEGER, "minimum": 0, "description": "Items matching the filters."},
            "page": {**INTEGER, "minimum": 1},
            "page_size": {**INTEGER, "minimum": 1, "maximum": MAX_PAGE_SIZE},
            "next": {**NULLABLE_URI, "description": "Absolute URL of the next page, or null."},
            "previous": {**NULLABLE_URI, "description": "Absolute URL of the previous page."},
            "results": array(ref(name)),
        },
        f"One page of {name} items.",
    )


ORGANISATION_REF = {
    "id": INTEGER,
    "name": STRING,
    "acronym": {**STRING, "description": "May be blank."},
    "slug": STRING,
    "url": {**URI, "description": "The organisation's page in the newsroom."},
    "api_url": URI,
}
ORGANISATION = {
    **ORGANISATION_REF,
    "kind": {**STRING, "enum": Organisation.Kind.values},
    "parent": {
        "oneOf": [ref("OrganisationRef"), {"type": "null"}],
        "description": "The wider organisation (IOM Pakistan → IOM).",
    },
    "website": OPTIONAL_URI,
    "email": OPTIONAL_EMAIL,
    "phone": STRING,
    "about_html": {**STRING, "description": "Boilerplate (sanitised HTML); the parent's if none."},
    "logo_url": NULLABLE_URI,
    "releases_api_url": {**URI, "description": "This organisation's releases in the API."},
}
CONTACT = {
    "id": INTEGER,
    "name": STRING,
    "honorific": STRING,
    "full_name": {**STRING, "description": "Honorific and name."},
    "job_title": STRING,
    "organisation": ref("OrganisationRef"),
    "email": OPTIONAL_EMAIL,
    "phone": {**STRING, "description": "As the organisation writes it, for display."},
    "phone_e164": {**STRING, "description": "E.164 form for dialling; blank if none."},
    "vcard_url": {**URI, "description": "The contact card (vCard 3.0) to save to a phone."},
}
PARTNERSHIP_REF = {"id": INTEGER, "title": STRING, "slug": STRING, "url": URI, "api_url": URI}
PARTNERSHIP = {
    **PARTNERSHIP_REF,
    "kind": {**STRING, "enum": Partnership.Kind.values},
    "status": {**STRING, "enum": [s for s in Partnership.Status.values if s != "draft"]},
    "signed_on": NULLABLE_DATE,
    "starts_on": NULLABLE_DATE,
    "ends_on": NULLABLE_DATE,
    "summary": STRING,
    "members": array(
        obj(
            {
                "organisation": ref("OrganisationRef"),
                "role": {**STRING, "enum": PartnershipMember.Role.values},
            }
        )
    ),
    "releases_api_url": URI,
}
RELEASE_REF = {
    "id": INTEGER,
    "title": STRING,
    "slug": STRING,
    "url": {**URI, "description": "The release on the public newsroom."},
    "api_url": URI,
    "date_published": {**DATE_TIME, "description": "When it first became public (UTC)."},
}
LANGUAGE: Schema = {
    "type": "string",
    "enum": language_filter_values(),
    "description": "The language the release is written in (BCP 47: en-GB, ur).",
}
RELEASE = {
    **RELEASE_REF,
    "language": LANGUAGE,
    "translations": array(
        obj(
            {"language": LANGUAGE, "title": STRING, "url": URI, "api_url": URI},
            "Another language version of this release that is public now (each "
            "version has its own embargo: one not yet public is not listed).",
        )
    ),
    "summary": STRING,
    "body_html": {**STRING, "description": "Sanitised HTML (p, h2–h4, lists, links…)."},
    "body_text": {**STRING, "description": "The body as plain text, paragraphs blank-line apart."},
    "date_changed": {
        **DATE_TIME,
        "description": "Last major (publicly noted) change; date_published if none.",
    },
    "date_modified": {
        **DATE_TIME,
        "description": "Last edit of any kind; use with updated_since for harvesting.",
    },
    "dateline": obj({"place": STRING, "date": NULLABLE_DATE}, "Islamabad, 18 October 2023"),
    "source": array(
        obj(
            {
                **ORGANISATION_REF,
                "website": OPTIONAL_URI,
                "role": {**STRING, "enum": ["lead", "co-issuer"]},
            },
            "An issuing organisation; the first is the lead.",
        )
    ),
    "tags": array(obj({"name": STRING, "slug": STRING})),
    "partnerships": array(ref("PartnershipRef")),
    "contacts": array(ref("ReleaseContact")),
    "images": array(
        obj(
            {
                "url": {**URI, "description": "The original, high-resolution file."},
                "web_url": {**URI, "description": "A web-sized rendition."},
                "caption": STRING,
                "credit": STRING,
                "alt": {**STRING, "description": "Text alternative for screen readers."},
                "usage_terms": STRING,
                "width": {"type": ["integer", "null"]},
                "height": {"type": ["integer", "null"]},
                "is_lead": {"type": "boolean"},
            }
        )
    ),
    "change_notes": array(
        obj({"note": STRING, "date": DATE_TIME}, "A public note of a major change, newest first.")
    ),
}

SCHEMAS: dict[str, Schema] = {
    "Error": obj(
        {
            "error": obj(
                {
                    "code": {
                        **STRING,
                        "examples": ["invalid_parameter", "not_found", "method_not_allowed"],
                    },
                    "message": {**STRING, "description": "A sentence for the developer."},
                }
            )
        }
    ),
    "OrganisationRef": obj(ORGANISATION_REF),
    "Organisation": obj(ORGANISATION),
    "OrganisationDetail": obj(
        {
            **ORGANISATION,
            "contacts": array(ref("Contact")),
            "partnerships": array(ref("PartnershipRef")),
        }
    ),
    "OrganisationList": page_of("Organisation"),
    "Contact": obj(CONTACT, "A public media contact."),
    "ContactList": page_of("Contact"),
    "ReleaseContact": obj(
        {**CONTACT, "role": {**STRING, "enum": ReleaseContact.Role.values}},
        "A public contact printed on a release, with their role for it.",
    ),
    "PartnershipRef": obj(PARTNERSHIP_REF),
    "Partnership": obj(PARTNERSHIP),
    "PartnershipDetail": obj({**PARTNERSHIP, "releases": array(ref("ReleaseRef"))}),
    "PartnershipList": page_of("Partnership"),
    "ReleaseRef": obj(RELEASE_REF),
    "Release": obj(RELEASE, "A published press release."),
    "ReleaseList": page_of("Release"),
}


def _param(name: str, where: str, schema: Schema, description: str, **extra: Any) -> Schema:
    return {"name": name, "in": where, "schema": schema, "description": description, **extra}


PARAMETERS: dict[str, Schema] = {
    "page": _param(
        "page",
        "query",
        {**INTEGER, "minimum": 1, "maximum": MAX_PAGE, "default": 1},
        "Page number; given once, not empty.",
    ),
    "page_size": _param(
        "page_size",
        "query",
        {**INTEGER, "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": settings.NEWSROOM_PAGE_SIZE},
        f"Items per page, at most {MAX_PAGE_SIZE}; given once, not empty.",
    ),
    "organisation": _param(
        "organisation",
        "query",
        SLUG_FILTER,
        "Only items of the organisation with this slug. The same name as on the "
        "newsroom's own lists (/releases/?organisation=…, /contacts/?organisation=…).",
    ),
    # Every older spelling of a filter (core.params) is documented, deprecated.
    **{
        alias: _param(
            alias,
            "query",
            SLUG_FILTER,
            f"Older spelling of {canonical}, still read; use {canonical}.",
            deprecated=True,
        )
        for canonical, aliases in FILTER_ALIASES.items()
        for alias in aliases
    },
    "tag": _param("tag", "query", SLUG_FILTER, "Only releases with the tag of this slug."),
    "language": _param(
        "language",
        "query",
        {"type": "string", "enum": [*language_filter_values(), ""]},
        "Only releases written in this language (en-GB, ur; case does not matter).",
    ),
    "partnership": _param(
        "partnership", "query", SLUG_FILTER, "Only releases about the partnership with this slug."
    ),
    "published_after": _param(
        "published_after",
        "query",
        INSTANT_FILTER,
        "Releases published at or after this ISO 8601 date or datetime. A date is "
        "its first instant in the newsroom's time zone; a time without offset too.",
        examples={"date": {"value": "2023-10-01"}, "datetime": {"value": "2023-10-18T09:00Z"}},
    ),
    "published_before": _param(
        "published_before",
        "query",
        INSTANT_FILTER,
        "Releases published strictly before this ISO 8601 date or datetime "
        "(published_after=2023-10-18&published_before=2023-10-19 is one day).",
    ),
    "updated_since": _param(
        "updated_since",
        "query",
        INSTANT_FILTER,
        "Incremental harvesting: releases edited, or made public by an embargo "
        "lifting, at or after this ISO 8601 datetime. Pass the time of your "
        "previous harvest. Withdrawn releases simply leave the list.",
        examples={"datetime": {"value": "2023-10-18T09:00:00Z"}},
    ),
    "slug": _param("slug", "path", PATH_SLUG, "The item's slug.", required=True),
}

_HEADERS = {
    "ETag": {"schema": STRING, "description": "Send it back as If-None-Match."},
    "Last-Modified": {"schema": STRING, "description": "Send it back as If-Modified-Since."},
    "Cache-Control": {
        "schema": STRING,
        "description": "public, max-age=60; max-age=0 while a scheduled release is near",
    },
    "Access-Control-Allow-Origin": {"schema": STRING, "description": "*"},
}


def _error(description: str) -> Schema:
    return {
        "description": description,
        "content": {"application/json": {"schema": ref("Error")}},
    }


RESPONSES: dict[str, Schema] = {
    "NotModified": {"description": "Your copy (If-None-Match / If-Modified-Since) is current."},
    "BadRequest": _error("A parameter is malformed; the message names it."),
    "NotFound": _error("No public item here (drafts, embargoed and withdrawn releases included)."),
}


def _operation(
    operation_id: str, summary: str, schema: str, parameters: list[str], description: str = ""
) -> Schema:
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "description": description,
            "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in parameters],
            "responses": {
                "200": {
                    "description": "OK",
                    "headers": _HEADERS,
                    "content": {"application/json": {"schema": ref(schema)}},
                },
                "304": {"$ref": "#/components/responses/NotModified"},
                "400": {"$ref": "#/components/responses/BadRequest"},
                "404": {"$ref": "#/components/responses/NotFound"},
            },
        }
    }


PAGED = ["page", "page_size"]

PATHS: dict[str, Schema] = {
    "/releases/": _operation(
        "listReleases",
        "Published press releases, newest first",
        "ReleaseList",
        [
            "organisation",
            *FILTER_ALIASES["organisation"],
            "tag",
            "partnership",
            "language",
            "published_after",
            "published_before",
            "updated_since",
            *PAGED,
        ],
        "Ordered by publication time then id, both descending, so pages are stable.",
    ),
    "/releases/{slug}/": _operation(
        "getRelease", "One published press release", "Release", ["slug"]
    ),
    "/organisations/": _operation(
        "listOrganisations", "Active organisations, by name", "OrganisationList", PAGED
    ),
    "/organisations/{slug}/": _operation(
        "getOrganisation",
        "One organisation with its public contacts and partnerships",
        "OrganisationDetail",
        ["slug"],
    ),
    "/contacts/": _operation(
        "listContacts",
        "Public media contacts, by name",
        "ContactList",
        ["organisation", *FILTER_ALIASES["organisation"], *PAGED],
        "Each contact links to a vCard to save it to a phone.",
    ),
    "/partnerships/": _operation(
        "listPartnerships",
        "Public partnerships, latest signed first",
        "PartnershipList",
        PAGED,
    ),
    "/partnerships/{slug}/": _operation(
        "getPartnership",
        "One partnership with its published releases",
        "PartnershipDetail",
        ["slug"],
    ),
}


def build_openapi() -> dict[str, Any]:
    """The document served at ``/api/v1/openapi.json``."""
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": f"{settings.NEWSROOM_SITE_NAME} API",
            "version": "1.0.0",
            "summary": "Read-only access to published press releases and media contacts.",
            "description": (
                "Public, read-only JSON. No key is needed. Every response carries "
                "ETag and Last-Modified: send them back as If-None-Match / "
                "If-Modified-Since and an unchanged answer is a bodiless 304. "
                "CORS is open to any origin for GET. Methods other than GET, HEAD "
                "and OPTIONS are answered 405. Errors are "
                '{"error": {"code": ..., "message": ...}}. '
                "Datetimes are ISO 8601 in UTC."
            ),
        },
        "servers": [{"url": absolute_url(API_ROOT)}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "parameters": PARAMETERS,
            "responses": RESPONSES,
        },
    }

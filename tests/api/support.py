"""Helpers and fixtures for the API tests (tests/test_api_*.py).

Responses are validated against the schemas of the served OpenAPI document,
looked up from the document itself, so the tests check the promise the
document makes rather than a copy of it.
"""

from __future__ import annotations

import datetime
import io
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker
from PIL import Image
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from api.openapi import build_openapi
from contacts.models import Partnership
from releases.models import ChangeNote, PressRelease, ReleaseImage
from tests.factories import (
    MediaContactFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PressReleaseFactory,
)

DOC_URI = "urn:newsroom:openapi"
STAFF_NOTE = "Prefers calls after 14:00; do not share mobile — internal"

format_checker = FormatChecker()


@format_checker.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parsed = datetime.datetime.fromisoformat(value)
    return parsed.tzinfo is not None


@format_checker.checks("uri")
def _is_absolute_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlparse(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def validator_for(schema: dict[str, Any], document: dict[str, Any]) -> Draft202012Validator:
    registry = Registry().with_resource(
        DOC_URI, Resource(contents=document, specification=DRAFT202012)
    )
    return Draft202012Validator(schema, registry=registry, format_checker=format_checker)


def response_schema(document: dict[str, Any], path: str, status: str = "200") -> dict[str, Any]:
    """The schema the document promises for GET ``path`` at ``status``."""
    response = document["paths"][path]["get"]["responses"][status]
    if "$ref" in response:
        response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    local_ref = response["content"]["application/json"]["schema"]["$ref"]
    return {"$ref": DOC_URI + local_ref}


def assert_valid(response, path: str) -> dict[str, Any]:
    """Parse ``response`` and validate it against the document's schema for ``path``."""
    assert response["Content-Type"] == "application/json", response.content[:200]
    data = json.loads(response.content)
    document = build_openapi()
    status = str(response.status_code)
    validator_for(response_schema(document, path, status), document).validate(data)
    return data


def png_file(name: str = "photo.png", size: tuple[int, int] = (12, 8)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def full_release(**kwargs: Any) -> PressRelease:
    """A published release with every relation the API shows."""
    lead = kwargs.pop("lead", None) or OrganisationFactory()
    partner = OrganisationFactory()
    public = MediaContactFactory(organisation=lead)
    internal = MediaContactFactory(organisation=lead, is_public=False, staff_notes=STAFF_NOTE)
    partnership = PartnershipFactory()
    PartnershipMemberFactory(partnership=partnership, organisation=lead)
    release = PressReleaseFactory(
        organisations=[lead, partner],
        contacts=[public, internal],
        tags=kwargs.pop("tags", ["Migration", "Human rights"]),
        **kwargs,
    )
    release.partnerships.add(partnership)
    ReleaseImage.objects.create(
        release=release,
        image=png_file(),
        alt_text="Two officials shake hands",
        caption="Signing ceremony",
        credit="© Example 2023",
        is_lead=True,
    )
    ChangeNote.objects.create(release=release, note="Corrected the number of districts.")
    return release


@dataclass
class World:
    lead: Any
    parent: Any
    public_contact: Any
    internal_contact: Any
    inactive_contact: Any
    partnership: Any
    draft_partnership: Any
    published: PressRelease
    older: PressRelease
    hidden: dict[str, PressRelease] = field(default_factory=dict)


@pytest.fixture
def world(db) -> World:
    """Public and non-public things side by side, so tests can check both."""
    now = timezone.now()
    parent = OrganisationFactory(name="Global Agency", acronym="GA", slug="ga")
    lead = OrganisationFactory(
        name="Agency, Country Office; Islamabad",
        acronym="GA-PK",
        slug="ga-pk",
        parent=parent,
        about="",
        website="https://agency.example.org/",
    )
    co_issuer = OrganisationFactory(name="Rights Commission", acronym="RC", slug="rc")
    public_contact = MediaContactFactory(
        organisation=lead, name="Amina Khan", job_title="Media officer, Islamabad; PK"
    )
    internal_contact = MediaContactFactory(
        organisation=lead, name="Hidden Person", is_public=False, staff_notes=STAFF_NOTE
    )
    inactive_contact = MediaContactFactory(
        organisation=lead, name="Former Officer", is_active=False, staff_notes=STAFF_NOTE
    )
    partnership = PartnershipFactory(title="Rights of migrants MoU", slug="rights-mou")
    PartnershipMemberFactory(partnership=partnership, organisation=lead)
    PartnershipMemberFactory(partnership=partnership, organisation=co_issuer)
    draft_partnership = PartnershipFactory(
        title="Secret draft", slug="secret-draft", status=Partnership.Status.DRAFT
    )
    PartnershipMemberFactory(partnership=draft_partnership, organisation=lead)

    published = PressReleaseFactory(
        title="Commission and agency sign an agreement",
        slug="agreement-signed",
        organisations=[lead, co_issuer],
        contacts=[public_contact, internal_contact, inactive_contact],
        tags=["Migration", "Human rights"],
        publish_at=now - datetime.timedelta(hours=2),
        body="<p>First paragraph &amp; more.</p><ul><li>One</li><li>Two</li></ul>",
    )
    published.partnerships.add(partnership, draft_partnership)
    ReleaseImage.objects.create(
        release=published,
        image=png_file(),
        alt_text="Two officials shake hands",
        caption="Signing",
        credit="© Example 2023",
        is_lead=True,
    )
    ChangeNote.objects.create(release=published, note="Corrected a figure.")
    older = PressReleaseFactory(
        title="Older release",
        slug="older-release",
        organisations=[co_issuer],
        tags=["Health"],
        publish_at=now - datetime.timedelta(days=30),
    )
    hidden = {
        "embargoed": PressReleaseFactory(
            slug="embargoed-release",
            organisations=[lead],
            contacts=[public_contact],
            tags=["Migration"],
            publish_at=now + datetime.timedelta(days=1),
        ),
        "draft": PressReleaseFactory(
            slug="draft-release",
            organisations=[lead],
            contacts=[public_contact],
            status=PressRelease.Status.DRAFT,
        ),
        "withdrawn": PressReleaseFactory(
            slug="withdrawn-release",
            organisations=[lead],
            contacts=[public_contact],
            status=PressRelease.Status.WITHDRAWN,
        ),
    }
    for release in hidden.values():
        release.partnerships.add(partnership)
    return World(
        lead=lead,
        parent=parent,
        public_contact=public_contact,
        internal_contact=internal_contact,
        inactive_contact=inactive_contact,
        partnership=partnership,
        draft_partnership=draft_partnership,
        published=published,
        older=older,
        hidden=hidden,
    )

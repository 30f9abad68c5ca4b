"""The querysets behind the API, each loading everything its serializer reads.

All start from the public managers — ``PressRelease.objects.published()``,
``MediaContact.objects.public()``, ``Partnership.objects.public()``,
``Organisation.objects.active()`` — and end with a total order (``id`` last)
so pagination is stable between requests.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from contacts.models import MediaContact, Organisation, Partnership, PartnershipMember
from releases.models import ChangeNote, PressRelease, ReleaseContact, ReleaseOrganisation


def releases() -> QuerySet[PressRelease]:
    """Public releases, newest first, with every relation a release shows."""
    return (
        PressRelease.objects.published()
        .prefetch_related(
            Prefetch(
                "issuers",
                queryset=ReleaseOrganisation.objects.select_related("organisation").order_by(
                    "order", "id"
                ),
            ),
            Prefetch(
                "contact_links",
                queryset=ReleaseContact.objects.filter(contact__in=MediaContact.objects.public())
                .select_related("contact", "contact__organisation")
                .order_by("order", "id"),
                to_attr="public_contact_links",
            ),
            Prefetch("partnerships", queryset=Partnership.objects.public().order_by("title", "id")),
            "tags",
            "images",
            Prefetch("change_notes", queryset=ChangeNote.objects.order_by("-created_at", "-id")),
        )
        .order_by("-publish_at", "-id")
    )


def release_refs() -> QuerySet[PressRelease]:
    """Public releases for a list of links (no relations needed)."""
    return PressRelease.objects.published().order_by("-publish_at", "-id")


def organisations() -> QuerySet[Organisation]:
    return Organisation.objects.active().select_related("parent").order_by("name", "id")


def contacts() -> QuerySet[MediaContact]:
    return MediaContact.objects.public().select_related("organisation").order_by("name", "id")


def partnerships() -> QuerySet[Partnership]:
    return (
        Partnership.objects.public()
        .prefetch_related(
            Prefetch(
                "members",
                queryset=PartnershipMember.objects.select_related("organisation").order_by(
                    "order", "id"
                ),
            )
        )
        .order_by("-signed_on", "title", "id")
    )

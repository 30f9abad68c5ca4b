"""The querysets behind the API, each loading everything its serializer reads.

All start from the public managers — ``PressRelease.objects.published()``,
``MediaContact.objects.public()``, ``Partnership.objects.public()``,
``Organisation.objects.active()`` — and end with a total order (``id`` last)
so pagination is stable between requests.
"""

from __future__ import annotations

from django.db.models import QuerySet

from contacts.models import MediaContact, Organisation, Partnership, partnership_members_prefetch
from releases.models import PressRelease
from releases.models.release import (
    change_notes_prefetch,
    public_contacts_prefetch,
    public_partnerships_prefetch,
    public_translations_exist,
)


def releases() -> QuerySet[PressRelease]:
    """Public releases, newest first, with every relation a release shows."""
    # for_listing(): the issuers (no parents) and the newest-first order.
    return (
        PressRelease.objects.published()
        .for_listing()
        .prefetch_related(
            public_contacts_prefetch(),
            public_partnerships_prefetch(order_by=("title", "id")),
            "tags",
            "images",
            change_notes_prefetch(),
        )
        # Whether a release has public translations: the page's versions are
        # then loaded in one query, and none when no release on it has any.
        .annotate(_has_public_translations=public_translations_exist())
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
        .prefetch_related(partnership_members_prefetch())
        .order_by("-signed_on", "title", "id")
    )

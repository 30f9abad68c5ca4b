"""The querysets behind the API, each loading everything its serializer reads.

All start from the public managers — ``PressRelease.objects.published()``,
``MediaContact.objects.public()``, ``Partnership.objects.public()``,
``Organisation.objects.active()`` — and end with a total order (``id`` last)
so pagination is stable between requests.
"""

from __future__ import annotations

from django.db.models import QuerySet

from contacts.models import MediaContact, Organisation, Partnership, partnership_members_prefetch
from releases import relations
from releases.models import PressRelease
from releases.models.release import attach_public_translations, public_translations_exist


def releases() -> QuerySet[PressRelease]:
    """Public releases, newest first.  Their relations come after the page
    is cut, all in one query: :func:`load_release_relations`."""
    return (
        PressRelease.objects.published()
        .order_by("-publish_at", "-id")
        # Whether a release has public translations: the page's versions are
        # then loaded in one query, and none when no release on it has any.
        .annotate(_has_public_translations=public_translations_exist())
    )


#: Every relation a release shows in the API, in the API's order
#: (partnerships by title, for a stable diff between harvests).
RELEASE_RELATIONS = (
    relations.issuers(parents=False),
    relations.public_contacts(),
    relations.public_partnerships(order_by=("title", "id")),
    relations.tags(),
    relations.images(),
    relations.change_notes(),
)


def load_release_relations(items: list[PressRelease]) -> list[PressRelease]:
    """Load what :func:`api.serializers.release` reads, for any number of
    releases, in one query (``releases.relations``)."""
    relations.load(items, RELEASE_RELATIONS)
    attach_public_translations(items)  # one query for the page, or none
    return items


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

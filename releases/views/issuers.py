"""The public pages of those who issue releases: every organisation with its
count of public releases, an organisation's page with its latest releases,
contacts and partnerships, and a partnership's page with its releases.

They live with the releases because they list them: ``contacts`` knows
nothing of releases (the dependency rule in docs/ARCHITECTURE.md).  Only
``published()`` releases and ``MediaContact.objects.public()`` reach them.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from contacts.models import Organisation, Partnership, partnership_members_prefetch
from contacts.views import public_contacts
from releases.models import PressRelease

#: How many of an organisation's releases its page lists.
ORGANISATION_RELEASES_COUNT = 10


def organisation_list(request: HttpRequest) -> HttpResponse:
    """Every active organisation with how many public releases it issued."""
    organisations = (
        Organisation.objects.active()
        .select_related("parent")
        .annotate(
            release_count=Count(
                "releases",
                filter=Q(releases__in=PressRelease.objects.published().in_edition()),
                distinct=True,
            )
        )
        .order_by("name")
    )
    return render(request, "contacts/organisation_list.html", {"organisations": organisations})


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.active().select_related("parent"), slug=slug
    )
    releases = (
        PressRelease.objects.published()
        .in_edition()
        .filter(organisations=organisation)
        .for_listing()[:ORGANISATION_RELEASES_COUNT]
    )
    partnerships = (
        Partnership.objects.public()
        .filter(members__organisation=organisation)
        .distinct()
        .prefetch_related(partnership_members_prefetch())
    )
    return render(
        request,
        "contacts/organisation_detail.html",
        {
            "organisation": organisation,
            "releases": releases,
            "contacts": public_contacts().filter(organisation=organisation),
            "partnerships": partnerships,
            "children": organisation.children.active().only("name", "acronym", "slug", "parent"),
        },
    )


def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(
        Partnership.objects.public().prefetch_related(partnership_members_prefetch()), slug=slug
    )
    releases = PressRelease.objects.published().filter(partnerships=partnership).for_listing()
    return render(
        request,
        "contacts/partnership_detail.html",
        {"partnership": partnership, "releases": releases},
    )

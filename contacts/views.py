"""Public pages for organisations, contacts and partnerships.

Only ``MediaContact.objects.public()`` and ``PressRelease.objects.published()``
reach these pages; ``staff_notes`` is never put in a template context.  Every
list runs a fixed number of queries whatever its length.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from contacts.models import MediaContact, Organisation, Partnership, PartnershipMember
from newsroom.caching import public_cache_exempt
from releases.models import PressRelease

#: How many of an organisation's releases its page lists.
ORGANISATION_RELEASES_COUNT = 10


def public_contacts() -> QuerySet[MediaContact]:
    """Public contacts with only the columns a public page may show.

    ``defer("staff_notes")`` keeps the internal notes out of memory, so a
    template typo cannot print them.
    """
    return MediaContact.objects.public().defer("staff_notes")


def _members() -> Prefetch:
    return Prefetch(
        "members",
        queryset=PartnershipMember.objects.select_related("organisation").order_by("order", "id"),
    )


def organisation_list(request: HttpRequest) -> HttpResponse:
    """Every active organisation with how many public releases it issued."""
    organisations = (
        Organisation.objects.active()
        .select_related("parent")
        .annotate(
            release_count=Count(
                "releases",
                filter=Q(releases__in=PressRelease.objects.published()),
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
        .filter(organisations=organisation)
        .for_listing()[:ORGANISATION_RELEASES_COUNT]
    )
    partnerships = (
        Partnership.objects.public()
        .filter(members__organisation=organisation)
        .distinct()
        .prefetch_related(_members())
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


def contact_list(request: HttpRequest) -> HttpResponse:
    """The press directory, grouped by organisation, filterable by one.

    An unknown ``?organisation=`` is said plainly and the full list shown,
    rather than an empty page that looks like "no contacts".
    """
    organisations = list(
        Organisation.objects.filter(contacts__in=public_contacts())
        .distinct()
        .only("name", "acronym", "slug")
        .order_by("name")
    )
    contacts = (
        public_contacts().select_related("organisation").order_by("organisation__name", "name")
    )
    requested = (request.GET.get("organisation") or "").strip()
    selected = next((org for org in organisations if org.slug == requested), None)
    if selected is not None:
        contacts = contacts.filter(organisation=selected)
    return render(
        request,
        "contacts/contact_list.html",
        {
            "contacts": contacts,
            "organisations": organisations,
            "selected": selected,
            "unknown_organisation": requested if requested and selected is None else "",
        },
    )


def partnership_list(request: HttpRequest) -> HttpResponse:
    partnerships = Partnership.objects.public().prefetch_related(_members())
    return render(request, "contacts/partnership_list.html", {"partnerships": partnerships})


def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(
        Partnership.objects.public().prefetch_related(_members()), slug=slug
    )
    releases = PressRelease.objects.published().filter(partnerships=partnership).for_listing()
    return render(
        request,
        "contacts/partnership_detail.html",
        {"partnership": partnership, "releases": releases},
    )


@public_cache_exempt
def organisation_logo(request: HttpRequest, slug: str) -> FileResponse:
    """An active organisation's logo.

    Uploads live under MEDIA_ROOT, which is never served as a whole (release
    files are served only while their release is public); logos are public
    whenever their organisation is, so they get this small view of their own.
    """
    organisation = get_object_or_404(Organisation.objects.active().only("logo"), slug=slug)
    if not organisation.logo:
        raise Http404("This organisation has no logo.")
    try:
        handle = organisation.logo.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The logo file is missing.") from exc
    response = FileResponse(handle)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""Public pages for organisations, contacts and partnerships."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from contacts.models import MediaContact, Organisation, Partnership
from releases.models import PressRelease


def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "contacts/organisation_list.html",
        {"organisations": Organisation.objects.active()},
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.active(), slug=slug)
    releases = (
        PressRelease.objects.published().filter(organisations=organisation).for_listing()[:20]
    )
    return render(
        request,
        "contacts/organisation_detail.html",
        {
            "organisation": organisation,
            "releases": releases,
            "contacts": organisation.contacts.public(),
            "partnerships": organisation.partnerships.public().distinct(),
        },
    )


def contact_list(request: HttpRequest) -> HttpResponse:
    contacts = MediaContact.objects.public().select_related("organisation")
    return render(request, "contacts/contact_list.html", {"contacts": contacts})


def partnership_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "contacts/partnership_list.html", {"partnerships": Partnership.objects.public()}
    )


def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership.objects.public(), slug=slug)
    releases = PressRelease.objects.published().filter(partnerships=partnership).for_listing()
    return render(
        request,
        "contacts/partnership_detail.html",
        {"partnership": partnership, "releases": releases},
    )

"""Public pages of the address book: the press directory, the partnerships,
organisation logos and contact cards.

Only ``MediaContact.objects.public()`` and ``Partnership.objects.public()``
reach these pages; ``staff_notes`` is never put in a template context.  Every
list runs a fixed number of queries whatever its length.  Pages that list
releases (an organisation's page) are in ``releases.views.issuers``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from contacts.models import (
    MediaContact,
    Organisation,
    Partnership,
    partnership_members_prefetch,
)
from contacts.vcard import serialize_contacts, vcard_filename
from core.http import public_cache_exempt
from core.images import detected_type
from core.params import filter_spelling


def public_contacts() -> QuerySet[MediaContact]:
    """Public contacts with only the columns a public page may show.

    ``defer("staff_notes")`` keeps the internal notes out of memory, so a
    template typo cannot print them.
    """
    return MediaContact.objects.public().defer("staff_notes")


def contact_list(request: HttpRequest) -> HttpResponse:
    """The press directory, grouped by organisation, filterable by one.

    An unknown ``?organisation=`` (or ``?org=``, the same filter as on the
    release list) is said plainly and the full list shown, rather than an
    empty page that looks like "no contacts".
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
    requested = (request.GET.get(filter_spelling(request.GET, "organisation")) or "").strip()
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
    partnerships = Partnership.objects.public().prefetch_related(partnership_members_prefetch())
    return render(request, "contacts/partnership_list.html", {"partnerships": partnerships})


@public_cache_exempt
def organisation_logo(request: HttpRequest, slug: str) -> FileResponse:
    """An active organisation's logo.

    Uploads live under MEDIA_ROOT, which is never served as a whole (release
    files are served only while their release is public); logos are public
    whenever their organisation is, so they get this small view of their own.

    The type sent is read from the file's header, never from its stored name:
    logos uploaded before names followed the content may be called
    ``logo.pdf`` and hold a PNG.  A file that is no accepted image is not
    served at all: it would otherwise be shown inline, on our origin, as
    whatever its name claims.
    """
    organisation = get_object_or_404(Organisation.objects.active().only("logo", "slug"), slug=slug)
    if not organisation.logo:
        raise Http404("This organisation has no logo.")
    try:
        handle = organisation.logo.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The logo file is missing.") from exc
    found = detected_type(handle)
    if found is None:
        handle.close()
        raise Http404("The logo file is not an image.")
    ext, content_type = found
    response = FileResponse(
        handle, content_type=content_type, filename=f"{organisation.slug}-logo.{ext}"
    )
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


#: The media type of a contact card (RFC 6350).
VCARD_CONTENT_TYPE = "text/vcard; charset=utf-8"


def vcard_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type=VCARD_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def contact_vcard(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(MediaContact.objects.public().select_related("organisation"), pk=pk)
    return vcard_response(serialize_contacts([contact]), vcard_filename(contact.name))

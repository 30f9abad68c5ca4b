"""Downloadable contact cards: one contact, or all public contacts of a release.

Both start from the public querysets (``MediaContact.objects.public()`` and
``PressRelease.objects.published()``), so an internal contact or an embargoed
release's contacts are a 404, exactly like their pages.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from contacts.models import MediaContact
from contacts.vcard import serialize_contacts, vcard_filename
from releases.models import PressRelease, ReleaseContact

CONTENT_TYPE = "text/vcard; charset=utf-8"


def _vcard_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def contact_vcard(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(MediaContact.objects.public().select_related("organisation"), pk=pk)
    return _vcard_response(serialize_contacts([contact]), vcard_filename(contact.name))


@require_safe
def release_contacts_vcard(request: HttpRequest, slug: str) -> HttpResponse:
    release = get_object_or_404(PressRelease.objects.published(), slug=slug)
    links = (
        ReleaseContact.objects.filter(release=release, contact__in=MediaContact.objects.public())
        .select_related("contact__organisation")
        .order_by("order", "id")
    )
    contacts = [link.contact for link in links]
    if not contacts:
        raise Http404("This release lists no public contacts.")
    return _vcard_response(serialize_contacts(contacts), vcard_filename(f"{release.slug}-contacts"))

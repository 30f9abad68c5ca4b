"""All public contacts of a published release as one contact card file.

Starts from ``PressRelease.objects.published()`` and the release's public
contact rows (``MediaContact.objects.public()``), so an internal contact or an embargoed
release's contacts are a 404, exactly like their pages.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from contacts.vcard import serialize_contacts, vcard_filename
from contacts.views import vcard_response
from releases.models import PressRelease
from releases.models.release import public_contact_links


@require_safe
def release_contacts_vcard(request: HttpRequest, slug: str) -> HttpResponse:
    release = get_object_or_404(PressRelease.objects.published(), slug=slug)
    contacts = [link.contact for link in public_contact_links().filter(release=release)]
    if not contacts:
        raise Http404("This release lists no public contacts.")
    return vcard_response(serialize_contacts(contacts), vcard_filename(f"{release.slug}-contacts"))

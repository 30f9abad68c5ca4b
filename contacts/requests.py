"""Contact requests: who may add to the address book, who must ask, and what
happens to a request.  The one place for these rules; the admin only calls
them.

* Staff with ``contacts.add_mediacontact`` add a contact themselves (the
  admin's "+" next to a contact field opens the add form as a pop-up).
* Staff without it but with ``contacts.add_contactrequest`` *request* one:
  the release form shows them "Request a new contact" instead.
* Contacts managers (``contacts.change_contactrequest``) see the open
  requests (:func:`open_requests`, for their dashboard) and create the
  contact from one (:func:`contact_prefill` fills the add form; saving it
  calls :func:`mark_done`), or decline it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from contacts.models import ContactRequest, MediaContact, Organisation

#: How many open requests a dashboard shows before "see all".
DASHBOARD_LIMIT = 10


def may_add_contacts(user: Any) -> bool:
    """The user adds contacts and organisations themselves (the "+")."""
    return bool(user.has_perm("contacts.add_mediacontact"))


def must_request_contacts(user: Any) -> bool:
    """The user may not add contacts but may ask for one."""
    return not may_add_contacts(user) and bool(user.has_perm("contacts.add_contactrequest"))


def handles_requests(user: Any) -> bool:
    """The user is one of those who act on requests (contacts managers)."""
    return bool(user.has_perm("contacts.change_contactrequest"))


def open_requests(user: Any, limit: int | None = DASHBOARD_LIMIT) -> QuerySet[ContactRequest]:
    """What a dashboard shows ``user`` about contact requests, oldest first.

    Contacts managers see every open request (they act on them); anyone
    else sees their own open requests (so a writer knows theirs is still
    waiting); a user who can do neither sees none.  One query; the
    requester is loaded with each row.
    """
    requests = ContactRequest.objects.open().select_related("requested_by")
    if not handles_requests(user):
        if not user.is_authenticated or not user.has_perm("contacts.add_contactrequest"):
            return requests.none()
        requests = requests.filter(requested_by=user)
    requests = requests.order_by("created_at", "pk")
    return requests[:limit] if limit else requests


def release_link(contact_request: ContactRequest) -> str:
    """The release's address when it is a path on this site, else "".

    The reference is typed text (prefilled by the release form's link), so
    only a local path becomes a link: never another site's address.
    """
    ref = contact_request.release_reference.strip()
    if ref.startswith("/") and url_has_allowed_host_and_scheme(ref, allowed_hosts=None):
        return ref
    return ""


def create_request(user: Any, **fields: Any) -> ContactRequest:
    """Record a request made by ``user`` (fields as on the model)."""
    return ContactRequest.objects.create(requested_by=user, **fields)


def matching_organisation(contact_request: ContactRequest) -> Organisation | None:
    """The organisation the requester named, when its name or acronym matches one
    exactly (case aside); otherwise the manager chooses it."""
    name = contact_request.organisation_name.strip()
    if not name:
        return None
    matches = list(Organisation.objects.filter(Q(name__iexact=name) | Q(acronym__iexact=name))[:2])
    return matches[0] if len(matches) == 1 else None


def contact_prefill(contact_request: ContactRequest) -> dict[str, str]:
    """The add-contact form's initial values (as GET parameters) for a request."""
    initial = {
        "name": contact_request.name,
        "email": contact_request.email,
        "phone": contact_request.phone,
        "staff_notes": contact_request.note,
    }
    organisation = matching_organisation(contact_request)
    if organisation is not None:
        initial["organisation"] = str(organisation.pk)
    return {key: value for key, value in initial.items() if value}


@transaction.atomic
def mark_done(contact_request: ContactRequest, contact: MediaContact, user: Any) -> None:
    """The contact now exists: close the request and remember who and which."""
    contact_request.status = ContactRequest.Status.DONE
    contact_request.contact = contact
    contact_request.handled_by = user
    contact_request.handled_at = timezone.now()
    contact_request.save(
        update_fields=["status", "contact", "handled_by", "handled_at", "updated_at"]
    )


def decline(contact_request: ContactRequest, user: Any) -> None:
    """Close the request without a contact (a duplicate, or not wanted)."""
    contact_request.status = ContactRequest.Status.DECLINED
    contact_request.handled_by = user
    contact_request.handled_at = timezone.now()
    contact_request.save(update_fields=["status", "handled_by", "handled_at", "updated_at"])

"""vCard 3.0 contact cards, so a journalist saves a press officer in one tap.

Written with ``vobject`` rather than by string formatting: it escapes commas,
semicolons and newlines and folds long lines as RFC 6350/2426 require, which
hand-made cards routinely get wrong (a comma in an organisation name splits it
into departments on an iPhone).  Only public fields are written — never
``staff_notes``.  Version 3.0 because it is what phones import most reliably.
"""

from __future__ import annotations

from collections.abc import Iterable

import vobject
from django.urls import reverse
from django.utils.text import slugify

from contacts.models import MediaContact
from core.urls import absolute_url


def _split_name(name: str) -> tuple[str, str]:
    """(given, family) for the structured N property.

    Names do not split reliably (Rabiya Javeri Agha's family name is two
    words); FN carries the name exactly as written and is what phones show, N
    is a best effort — the last word as family name — for sorting.
    """
    words = name.split()
    if len(words) < 2:
        return name.strip(), ""
    return " ".join(words[:-1]), words[-1]


def organisation_url(contact: MediaContact) -> str:
    """The organisation's own website, else its page in the newsroom."""
    org = contact.organisation
    return org.website or absolute_url(org.get_absolute_url())


def contact_to_vcard(contact: MediaContact) -> vobject.base.Component:
    """One vCard component for ``contact`` (needs its organisation loaded)."""
    card = vobject.vCard()
    card.add("fn").value = contact.full_name
    if contact.kind == MediaContact.Kind.DESK:
        # An organisation card: no personal name to split (vCard 3.0 still
        # requires N, so it is empty), and Apple's X-ABShowAs files it under
        # the organisation — vCard 4's KIND:org, in the version phones read.
        card.add("n").value = vobject.vcard.Name()
        card.add("x-abshowas").value = "COMPANY"
    else:
        given, family = _split_name(contact.name)
        card.add("n").value = vobject.vcard.Name(
            family=family, given=given, prefix=contact.honorific.strip()
        )
    card.add("org").value = [contact.organisation.name]
    if contact.job_title:
        card.add("title").value = contact.job_title
    if contact.email:
        email = card.add("email")
        email.value = contact.email
        email.type_param = ["INTERNET", "WORK"]
    # The stored, international form ("+92 300 1234567"): what every page
    # shows, and what a phone dials as well as the bare E.164 form.
    number = contact.phone
    if number:
        tel = card.add("tel")
        tel.value = number
        tel.type_param = ["WORK", "VOICE"]
    card.add("url").value = organisation_url(contact)
    # A stable identity, so importing an updated card replaces the old one.
    card.add("uid").value = absolute_url(reverse("contacts:vcard", kwargs={"pk": contact.pk}))
    card.add("rev").value = contact.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return card


def serialize_contacts(contacts: Iterable[MediaContact]) -> str:
    """Several cards in one file: phones import them all at once."""
    return "".join(contact_to_vcard(contact).serialize() for contact in contacts)


def vcard_filename(name: str) -> str:
    """An ASCII file name that is safe in a Content-Disposition header."""
    return f"{slugify(name)[:80] or 'contact'}.vcf"

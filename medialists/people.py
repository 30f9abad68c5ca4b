"""One person, one record: normalising, finding duplicates, linking, merging.

* An e-mail is one person whatever its case: the primary e-mail is stored
  lower-cased and unique (a database constraint on ``Lower(email)`` too), and
  a person with the e-mail of an alerts ``Subscriber`` or of a
  ``journalists.Journalist`` account is linked to it on save
  (:meth:`MediaPerson.normalise <medialists.models.MediaPerson.normalise>`).
* A *possible* duplicate is a similar name (difflib ratio ≥ ``SIMILAR``) at
  the same outlet: the admin asks before adding one; an import skips it.
* :func:`merge` folds one record into another keeping its history: list
  memberships, the copies it was sent, its e-mails, phones and notes.
"""

from __future__ import annotations

import difflib
import unicodedata

from django.db import transaction
from django.utils import timezone

from medialists.models import MediaPerson, Recipient

SIMILAR = 0.85


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace(".", " ").split())


def similar(a: str, b: str) -> bool:
    a, b = _fold(a), _fold(b)
    return bool(a and b) and difflib.SequenceMatcher(None, a, b).ratio() >= SIMILAR


def same_email(email: str, exclude_pk: int | None = None):
    found = MediaPerson.objects.with_email(email)
    return found.exclude(pk=exclude_pk) if exclude_pk else found


def similar_at_outlet(name: str, outlet, exclude_pk: int | None = None) -> list:
    """People at ``outlet`` whose name is close to ``name`` (possible duplicates)."""
    if outlet is None:
        return []
    candidates = MediaPerson.objects.filter(outlet=outlet)
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    return [p for p in candidates.only("pk", "name", "outlet") if similar(p.name, name)]


@transaction.atomic
def merge(keep, other, user=None) -> None:
    """Fold ``other`` into ``keep`` and delete ``other``; nothing of its history is lost.

    Lists: ``keep`` joins every list ``other`` was on.  Sends: ``other``'s
    copies move to ``keep`` unless ``keep`` has a copy of the same release
    (then ``other``'s is kept in the notes, as a line of history).  Its
    e-mail becomes one of ``keep``'s other e-mails; phones, beats and notes
    are added; a do-not-contact on either stays.
    """
    if keep.pk == other.pk:
        raise ValueError("A record cannot be merged into itself.")
    for media_list in other.lists.all():
        media_list.members.add(keep)
    had = set(Recipient.objects.filter(person=keep).values_list("release_id", flat=True))
    lines = []
    for receipt in Recipient.objects.filter(person=other).select_related("release"):
        if receipt.release_id in had:
            lines.append(
                f"Also sent “{receipt.release.title}” as {receipt.email}: "
                f"{receipt.get_status_display()}."
            )
        else:
            Recipient.objects.filter(pk=receipt.pk).update(person=keep)
    keep.beats.add(*other.beats.all())
    keep.other_emails = "\n".join([keep.other_emails, other.email, other.other_emails])
    keep.phones = "\n".join([keep.phones, other.phones])
    when = timezone.now().strftime("%Y-%m-%d")
    who = f" by {user.get_username()}" if user else ""
    stamp = f"Merged with the record of {other.name} <{other.email}> on {when}{who}."
    keep.notes = "\n\n".join(
        part for part in [keep.notes, stamp, other.notes.strip(), *lines] if part
    )
    keep.do_not_contact = keep.do_not_contact or other.do_not_contact
    for field in ("role", "countries", "languages", "consent_basis", "consent_source"):
        if not getattr(keep, field) and getattr(other, field):
            setattr(keep, field, getattr(other, field))
    if keep.consent_recorded_at is None:
        keep.consent_recorded_at = other.consent_recorded_at
    keep.outlet = keep.outlet or other.outlet
    keep.journalist = keep.journalist or other.journalist
    keep.subscriber = keep.subscriber or other.subscriber
    other.delete()
    keep.save()

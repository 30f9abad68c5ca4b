"""Who a send to media lists reaches — the one place that decides it.

A person on any of the chosen lists gets the release once, unless:

* their address is on the one suppression list (``alerts``: a bounce, a
  complaint or an unsubscribe anywhere suppresses everywhere) — *suppressed*;
* there is no basis recorded for writing to them — *no consent*;
* they asked not to be contacted — *do not contact*;
* they already have this release (an earlier send) — *already sent*.

Being on two chosen lists is no reason to leave anyone out: they get one
copy, and the page says they were on more than one list (*duplicate*).
A vetted journalist the press room tells early gets its advance notice as
their copy (*advance notice*, :mod:`medialists.advance`).
The same rule is asked again just before each e-mail goes
(:func:`excluded_now`): a person suppressed between the plan and the
embargo gets nothing.  The embargo itself is asked of ``published()`` in the
claim (``medialists.sending``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from alerts.models import Suppression
from journalists.models import Journalist
from medialists import advance
from medialists.models import MediaList, MediaPerson, Recipient
from releases.models import PressRelease

SUPPRESSED = "suppressed"
NO_CONSENT = "no consent"
DO_NOT_CONTACT = "do not contact"
ALREADY_SENT = "already sent this release"


@dataclass
class Audience:
    """The outcome for one release and some lists."""

    recipients: list[MediaPerson] = field(default_factory=list)
    #: person → reason, for those left out.
    excluded: list[tuple[MediaPerson, str]] = field(default_factory=list)
    #: person → the names of the chosen lists they are on, for those on more than one.
    duplicates: dict[int, list[str]] = field(default_factory=dict)
    #: person → their vetted journalist account, for those of ``recipients``
    #: the press room tells by its advance notice (``medialists.advance``).
    advance: dict[int, Journalist] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.recipients)


def reason_for(person: MediaPerson, suppressed: set[str]) -> str | None:
    """Why ``person`` may not be written to now (None: they may)."""
    if person.email in suppressed:
        return SUPPRESSED
    if person.do_not_contact:
        return DO_NOT_CONTACT
    if not person.consent_basis:
        return NO_CONSENT
    return None


def suppressed_among(emails: Iterable[str]) -> set[str]:
    emails = [e.lower() for e in emails]
    found: set[str] = set()
    for start in range(0, len(emails), 1000):
        found |= set(
            Suppression.objects.filter(email__in=emails[start : start + 1000]).values_list(
                "email", flat=True
            )
        )
    return found


def audience(release_id: int, lists: Iterable[MediaList]) -> Audience:
    """Who of ``lists`` gets ``release_id``, who does not and why."""
    people: dict[int, MediaPerson] = {}
    on_lists: dict[int, list[str]] = {}
    for media_list in lists:
        for person in MediaPerson.objects.in_list(media_list).select_related("outlet"):
            people.setdefault(person.pk, person)
            on_lists.setdefault(person.pk, []).append(media_list.name)
    suppressed = suppressed_among(p.email for p in people.values())
    already = set(
        Recipient.objects.filter(release_id=release_id, person_id__in=list(people))
        .exclude(status__in=[Recipient.Status.SUPPRESSED, Recipient.Status.EXCLUDED])
        .values_list("person_id", flat=True)
    )
    result = Audience()
    for person in sorted(people.values(), key=lambda p: (p.name.lower(), p.pk)):
        reason = reason_for(person, suppressed)
        if reason is None and person.pk in already:
            reason = ALREADY_SENT
        if reason:
            result.excluded.append((person, reason))
        else:
            result.recipients.append(person)
        if len(on_lists[person.pk]) > 1:
            result.duplicates[person.pk] = on_lists[person.pk]
    release = PressRelease.objects.filter(pk=release_id).first()
    if release is not None and result.recipients:
        vetted = advance.vetted(release, [p.email for p in result.recipients])
        result.advance = {p.pk: vetted[p.email] for p in result.recipients if p.email in vetted}
    return result


def excluded_now(person: MediaPerson) -> str | None:
    """The rule asked again just before a copy goes."""
    return reason_for(person, suppressed_among([person.email]))

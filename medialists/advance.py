"""Vetted journalists on a media list: the press room's advance notice is their copy.

A person on a chosen list who is also a vetted journalist of the press room
(same e-mail, whatever its case; approved, active, current agreement
accepted) and to whom the release's advance access is open — or will open
before its embargo — is told by the press room's *advance notice*
(``pressroom.notices``) instead of waiting for the ordinary copy at the
instant.  Whether they may be told early is asked of the press room's one
rule (:func:`pressroom.rules.audience`), never decided here: a release
without advance access, or a journalist outside its limits, gets the
ordinary copy at the embargo instant, like everyone else.

Each person gets the release once.  Their media-list copy waits as
*advance notice* (:attr:`Recipient.Status.ADVANCE`), and at the embargo
instant :func:`settle` looks at their notice:

* sent (or sending, or unknown — a worker died mid-send: at most once): the
  notice was their delivery, and the report counts it as sent;
* suppressed by the press room: *suppressed*, as the ordinary copy would be;
* anything else (never sent: access closed since, rescheduled, failed):
  the copy goes back to *queued* and leaves now, with everyone else's.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from journalists.models import Journalist
from pressroom import rules
from pressroom.models import AdvanceAccess, AdvanceNotice
from releases.models import PressRelease

NoticeStatus = AdvanceNotice.Status
#: A notice in one of these states went (or may have): the person's copy is that notice.
WENT = (NoticeStatus.SENT, NoticeStatus.SENDING, NoticeStatus.UNKNOWN)


def opening(release: PressRelease, now: datetime.datetime | None = None):
    """When the release's advance access opens (``now`` if open already), or None
    if it is not open to anyone before the instant on the terms set for it."""
    now = now or timezone.now()
    access = AdvanceAccess.objects.filter(release=release).first()
    if (
        access is None
        or not access.enabled
        or access.opens_at is None
        or release.publish_at is None
        or access.for_publish_at != release.publish_at
        or release.publish_at <= now
    ):
        return None
    return max(now, access.opens_at)


def vetted(
    release: PressRelease, emails: Iterable[str], now: datetime.datetime | None = None
) -> dict[str, Journalist]:
    """e-mail (lower-case) → vetted journalist, for those of ``emails`` the
    press room tells in advance about ``release``."""
    when = opening(release, now)
    if when is None:
        return {}
    wanted = {e.strip().lower() for e in emails}
    found: dict[str, Journalist] = {}
    for journalist in rules.audience(release, when):
        email = (journalist.user.email or "").strip().lower()
        if email in wanted and journalist.user.is_active:
            found[email] = journalist
    return found


def tell(release: PressRelease, journalists: Iterable[Journalist]) -> None:
    """If access is open now, make sure each of ``journalists`` has a notice
    waiting and send the due notices once committed.  Before the opening
    nothing is written: the press room's booking at the opening time (or its
    sweep) writes and sends the notices of everyone it opens to, these
    included (a notice row written early would be cancelled by its sweep as
    "not open")."""
    journalists = list(journalists)
    when = opening(release)
    if not journalists or when is None or when > timezone.now():
        return
    AdvanceNotice.objects.bulk_create(
        [AdvanceNotice(release=release, journalist=j) for j in journalists],
        ignore_conflicts=True,  # one notice per journalist and release, ever
    )
    from pressroom.tasks import send_advance_notices

    release_id = release.pk
    transaction.on_commit(lambda: send_advance_notices.enqueue(release_id))


def notice_states(release_id: int, emails: Iterable[str]) -> dict[str, str]:
    """e-mail (lower-case) → the state of that person's advance notice of the release."""
    emails = [e.lower() for e in emails]
    found: dict[str, str] = {}
    for start in range(0, len(emails), 1000):
        rows = (
            AdvanceNotice.objects.filter(release_id=release_id)
            .annotate(email=Lower("journalist__user__email"))
            .filter(email__in=emails[start : start + 1000])
            .values_list("email", "status")
        )
        found.update(rows)
    return found


def settle(release_id: int) -> dict[str, int]:
    """At the embargo instant: whose advance notice was their copy, and who
    still needs the ordinary one (see the module docstring).

    A person the press room told on its own (a vetted journalist within the
    access's limits, whether or not the send marked them) is caught here too:
    their queued copy does not go a second time."""
    from medialists.models import Recipient

    status = Recipient.Status
    rows = Recipient.objects.filter(
        release_id=release_id, status__in=[status.QUEUED, status.ADVANCE]
    )
    states = notice_states(release_id, rows.values_list("email", flat=True))
    went = [e for e, s in states.items() if s in WENT]
    suppressed = [e for e, s in states.items() if s == NoticeStatus.SUPPRESSED]
    told = rows.filter(email__in=went).update(status=status.ADVANCE)
    held = Recipient.objects.filter(
        release_id=release_id, status=status.ADVANCE, email__in=suppressed
    ).update(status=status.SUPPRESSED, error="suppressed (advance notice)")
    back = (
        Recipient.objects.filter(release_id=release_id, status=status.ADVANCE)
        .exclude(email__in=went)
        .update(status=status.QUEUED)
    )
    return {"advance": told, "suppressed": held, "ordinary": back}

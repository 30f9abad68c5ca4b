"""Who may read which embargoed release, when: the press room's one rule.

Every door of the press room (the list, the release page at its public URL,
the files, the advance notices) asks these functions and nothing else.  They
take a journalist already judged trustworthy by
:func:`journalists.access.trusted_journalist` (approved, active,
re-confirmed, current agreement accepted): whether a *person* may be trusted
is that app's rule; whether this *release* is open to them is this one.

A release is open to a trusted journalist at ``now`` when:

* it is scheduled (status published or approved) with an embargo instant
  still ahead — after the instant the public page serves everyone, and a
  release withdrawn, sent back or unscheduled is closed at once;
* its advance access is on and ``opens_at`` has come;
* its embargo instant is the one advance access was granted for (a release
  rescheduled since is closed until staff grant access again);
* the journalist is within the limits: no limit set means every trusted
  journalist; otherwise any one limit matching is enough (a beat among the
  release's chosen beats, their outlet among the chosen outlets, or named).
"""

from __future__ import annotations

import datetime

from django.db.models import F, QuerySet
from django.utils import timezone

from journalists.models import Journalist
from pressroom.models import AdvanceAccess
from releases.models import PressRelease

#: The states in which a release with a future instant is on its way out.
OPEN_STATUSES = (PressRelease.Status.PUBLISHED, PressRelease.Status.APPROVED)


def open_releases(now: datetime.datetime | None = None) -> QuerySet[PressRelease]:
    """Releases whose advance access is open at ``now``, to anyone within their limits."""
    now = now or timezone.now()
    return PressRelease.objects.filter(
        status__in=OPEN_STATUSES,
        publish_at__isnull=False,
        publish_at__gt=now,
        advance_access__enabled=True,
        advance_access__opens_at__isnull=False,
        advance_access__opens_at__lte=now,
        advance_access__for_publish_at=F("publish_at"),
    ).exclude(pk__in=PressRelease.objects.published(now).values("pk"))


def within_limits(access: AdvanceAccess, journalist: Journalist) -> bool:
    """Whether ``journalist`` is among those ``access`` is for (no limit: everyone)."""
    beats = {tag.pk for tag in access.beats.all()}
    outlets = {name.casefold() for name in access.outlet_names}
    named = {j.pk for j in access.journalists.all()}
    if not (beats or outlets or named):
        return True
    if journalist.pk in named:
        return True
    if outlets and journalist.outlet.strip().casefold() in outlets:
        return True
    return bool(beats) and journalist.beats.filter(pk__in=beats).exists()


def may_read(
    journalist: Journalist | None, release: PressRelease, now: datetime.datetime | None = None
) -> bool:
    """Whether this trusted journalist may read ``release`` before its instant, at ``now``."""
    if journalist is None:
        return False
    access = (
        AdvanceAccess.objects.filter(release__in=open_releases(now).filter(pk=release.pk))
        .prefetch_related("beats", "journalists")
        .first()
    )
    return access is not None and within_limits(access, journalist)


def embargoed_for(
    journalist: Journalist | None, now: datetime.datetime | None = None
) -> QuerySet[PressRelease]:
    """The embargoed releases this trusted journalist may read at ``now``, soonest first."""
    if journalist is None:
        return PressRelease.objects.none()
    accesses = AdvanceAccess.objects.filter(release__in=open_releases(now)).prefetch_related(
        "beats", "journalists"
    )
    ids = [a.release_id for a in accesses if within_limits(a, journalist)]
    return PressRelease.objects.filter(pk__in=ids).order_by("publish_at", "pk")


def audience(release: PressRelease, now: datetime.datetime | None = None) -> list[Journalist]:
    """The trusted journalists ``release`` is open to now (who get its advance notice)."""
    from journalists.access import has_accepted_current_agreement

    access = (
        AdvanceAccess.objects.filter(release__in=open_releases(now).filter(pk=release.pk))
        .prefetch_related("beats", "journalists")
        .first()
    )
    if access is None:
        return []
    return [
        j
        for j in Journalist.objects.approved().select_related("user").prefetch_related("beats")
        if within_limits(access, j) and has_accepted_current_agreement(j)
    ]

"""Bulletins (Media Updates) sent as one e-mail: who gets it, when, and what
that means for the releases' own alerts.  One module, so the rule is read in
one place.

* Staff ask for a bulletin to go as one e-mail (:class:`BulletinMailing`).
  From then until it goes, the alerts of its releases are **held back**
  (:func:`holds_back`): a journalist who follows IOM Pakistan gets the
  morning's Media Update once, not its two releases one by one.
* It goes when **every published release of the bulletin is public**: the
  embargo of the last scheduled one lifting is what completes it, or at once
  if none is scheduled.  A release of the bulletin still in draft does not
  hold the others back (it will alert alone when it is published).  The
  sweep asks (:func:`due`), and so does each release's own alert task when
  its embargo lifts, so nothing depends on one job firing.
* It reaches the immediate subscribers any of its releases would have
  reached.  Each address gets each release at most once, as everywhere in
  the alerts: a row per release × address, written with the others' rows
  and claimed together; an address that already had one of the releases
  (the bulletin was asked for after they went out) gets the rest, and an
  address that had them all gets nothing.
* Digest subscribers are not changed: their digest carries the releases.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from alerts import audience
from alerts.models import BulletinMailing, Delivery, Subscriber
from releases.models import PressRelease


def bulletin_key(mailing_id: int, subscriber_id: int) -> str:
    """The idempotency key of one address's copy of one bulletin."""
    return f"bulletin:{mailing_id}:{subscriber_id}"


def ask(bulletin: Any, user: Any = None) -> BulletinMailing:
    """Send ``bulletin`` as one e-mail (idempotent: asking twice is one mailing)."""
    mailing, _ = BulletinMailing.objects.get_or_create(
        bulletin=bulletin, defaults={"created_by": user if user and user.pk else None}
    )
    return mailing


def holds_back(release_id: int) -> bool:
    """The release's own alert waits: it is in a bulletin asked to go as one
    e-mail that has not gone yet."""
    return BulletinMailing.objects.filter(
        sent_at__isnull=True, bulletin__items__release_id=release_id
    ).exists()


def releases_of(mailing: BulletinMailing) -> QuerySet:
    """The bulletin's releases, in its order."""
    return PressRelease.objects.filter(bulletin_items__bulletin_id=mailing.bulletin_id).order_by(
        "bulletin_items__order", "bulletin_items__id"
    )


def is_complete(mailing: BulletinMailing, now=None) -> bool:
    """No release of the bulletin is scheduled for later, and one is public."""
    now = now or timezone.now()
    releases = releases_of(mailing)
    scheduled = releases.filter(status=PressRelease.Status.PUBLISHED, publish_at__gt=now)
    if scheduled.exists():
        return False
    return bool(audience.public_ids(list(releases.values_list("pk", flat=True)), now))


def due(now=None) -> list[int]:
    """Mailings that should go now: waiting and complete (a copy that failed
    for now is still waiting: it is tried again)."""
    waiting = BulletinMailing.objects.filter(sent_at__isnull=True).order_by("pk")
    return [m.pk for m in waiting if is_complete(m, now)]


def plan(mailing: BulletinMailing) -> int:
    """Write the rows of every address's copy (idempotent), returning how many
    were new.  Only public releases, only immediate subscribers they reach."""
    releases = list(audience_releases(mailing))
    batch: list[Delivery] = []
    for release in releases:
        for subscriber_id in audience.alert_audience(release).iterator(chunk_size=2000):
            batch.append(
                Delivery(
                    release=release,
                    subscriber_id=subscriber_id,
                    kind=Delivery.Kind.BULLETIN,
                    digest_key=bulletin_key(mailing.pk, subscriber_id),
                )
            )
    return len(Delivery.objects.bulk_create(batch, ignore_conflicts=True, batch_size=2000))


def audience_releases(mailing: BulletinMailing) -> QuerySet:
    public = audience.public_ids(list(releases_of(mailing).values_list("pk", flat=True)))
    return PressRelease.objects.filter(pk__in=public)


def waiting_subscribers(mailing: BulletinMailing) -> list[Subscriber]:
    """Addresses whose copy still has queued rows."""
    ids = (
        Delivery.objects.filter(
            kind=Delivery.Kind.BULLETIN,
            status=Delivery.Status.QUEUED,
            digest_key__startswith=f"bulletin:{mailing.pk}:",
        )
        .values_list("subscriber_id", flat=True)
        .distinct()
    )
    return list(Subscriber.objects.filter(pk__in=list(ids)).order_by("pk"))


def mark_sent_if_done(mailing: BulletinMailing) -> bool:
    """The mailing has gone once no copy waits or is held by a worker (a
    claim whose worker died comes back to the queue); its releases' alerts
    are then no longer held (any release added to the bulletin later alerts alone)."""
    left = Delivery.objects.filter(
        kind=Delivery.Kind.BULLETIN,
        status__in=[Delivery.Status.QUEUED, Delivery.Status.CLAIMED, Delivery.Status.SENDING],
        digest_key__startswith=f"bulletin:{mailing.pk}:",
    ).exists()
    if left:
        return False
    BulletinMailing.objects.filter(pk=mailing.pk, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    return True

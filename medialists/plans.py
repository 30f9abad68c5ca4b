"""Planning a send to media lists, and booking it for the release's instant.

:func:`plan` writes a :class:`~medialists.models.Distribution` and one
*queued* :class:`~medialists.models.Recipient` per person the audience rule
(:mod:`medialists.audience`) lets through, audits it on the release (who sent
what to which lists), and :func:`book` enqueues the worker's task for the
release's instant (``run_after``); a vetted journalist the press room tells
early waits as *advance notice* instead (:mod:`medialists.advance`).  An
approved release not yet scheduled is booked when the workflow publishes or
schedules it (``medialists.receivers``); the alerts' sweep runs
:func:`sweep`, the safety net.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from medialists import advance, audience, bulletin_sends, sending, tasks
from medialists.models import Distribution, ImportUpload, MediaList, Recipient
from releases.models import AuditLogEntry, PressRelease

Status = Recipient.Status
#: The audit log's action for a send (outside the workflow's transitions:
#: the alerts and the desk's notices ignore it).
AUDIT_ACTION = AuditLogEntry.Action.DISTRIBUTE


class NotSendableError(Exception):
    """The release may not be sent to media lists (not approved or scheduled)."""


def plan(
    release: PressRelease, lists: list[MediaList], note: str, user, batch=None
) -> tuple[Distribution, audience.Audience]:
    """Write the send and its rows, audit it, and book it for the release's instant
    (a bulletin's, ``batch``, is booked as a whole by ``medialists.bulletin_sends``)."""
    if not sending.sendable(release):
        raise NotSendableError(
            "Only an approved, scheduled or published release can be sent to media lists."
        )
    with transaction.atomic():
        # One send at a time per release: the "already sent" rule is read under this lock.
        PressRelease.objects.select_for_update().filter(pk=release.pk).first()
        outcome = audience.audience(release.pk, lists)
        names = ", ".join(m.name for m in lists)
        distribution = Distribution.objects.create(
            release=release, list_names=names, note=note.strip(), created_by=user, batch=batch
        )
        distribution.lists.set(lists)
        rows = [
            Recipient(
                distribution=distribution,
                release=release,
                person=p,
                email=p.email,
                status=Status.ADVANCE if p.pk in outcome.advance else Status.QUEUED,
            )
            for p in outcome.recipients
        ]
        Recipient.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        # A copy held back at an earlier send (suppressed then, or without consent)
        # is this send's now: one row per release and person, queued again.
        for status, ids in (
            (Status.QUEUED, [p.pk for p in outcome.recipients if p.pk not in outcome.advance]),
            (Status.ADVANCE, list(outcome.advance)),
        ):
            Recipient.objects.filter(
                release=release, person__in=ids, status__in=[Status.SUPPRESSED, Status.EXCLUDED]
            ).update(status=status, distribution=distribution, error="")
        # Vetted journalists: the press room's advance notice is their copy.
        advance.tell(release, outcome.advance.values())
        AuditLogEntry.objects.create(
            release=release,
            release_title=release.title,
            action=AUDIT_ACTION,
            user=user,
            publish_at=release.publish_at,
            note=(
                f"Sent to media lists: {names} — {outcome.count} recipient(s)"
                + (f" ({len(outcome.advance)} by advance notice)" if outcome.advance else "")
                + f", {len(outcome.excluded)} left out."
                + (f" Personal note: {note.strip()}" if note.strip() else "")
            )[:5000],
        )
        if batch is None:
            book(release)
    return distribution, outcome


def when_it_goes(release: PressRelease, now: datetime.datetime | None = None) -> str:
    """In words, for the staff: when a send of ``release`` leaves."""
    now = now or timezone.now()
    if release.status != PressRelease.Status.PUBLISHED or release.publish_at is None:
        return "when the release is published"
    if release.publish_at <= now:
        return "now"
    return "at the embargo instant"


def bulletin_releases(bulletin) -> tuple[list[PressRelease], list[PressRelease]]:
    """A bulletin's releases in its order: (those that can be sent, the others)."""
    releases = [
        item.release for item in bulletin.items.select_related("release").order_by("order", "id")
    ]
    return (
        [r for r in releases if sending.sendable(r)],
        [r for r in releases if not sending.sendable(r)],
    )


def plan_bulletin(bulletin, lists: list[MediaList], note: str, user) -> list[Distribution]:
    """One send per sendable release of ``bulletin``, one batch, booked once: its
    copies go as one e-mail per person (:mod:`medialists.bulletin_sends`)."""
    sendable, _ = bulletin_releases(bulletin)
    if not sendable:
        raise NotSendableError("No release of this bulletin is approved, scheduled or published.")
    batch = uuid.uuid4()
    with transaction.atomic():
        done = []
        for release in sendable:
            distribution, _ = plan(release, lists, note, user, batch=batch)
            Distribution.objects.filter(pk=distribution.pk).update(bulletin=bulletin)
            done.append(distribution)
        book_batch(batch)
    return done


def book_batch(batch) -> None:
    """Enqueue a bulletin's send for its instant, once committed."""
    when = bulletin_sends.instant(batch)
    if when is None:
        return  # nothing scheduled yet: booked when a release of it is
    key = str(batch)

    def enqueue() -> None:
        job = tasks.send_bulletin_copies
        if when > timezone.now():
            if not job.get_backend().supports_defer:
                return  # a queue that cannot wait (in-process tests): the sweep sends it
            job = job.using(run_after=when)
        job.enqueue(key)

    transaction.on_commit(enqueue)


def book(release: PressRelease) -> None:
    """Enqueue the release's waiting sends for its instant, once committed."""
    if release.status != PressRelease.Status.PUBLISHED or release.publish_at is None:
        return  # approved: booked when it is published or scheduled
    when, release_id = release.publish_at, release.pk

    def enqueue() -> None:
        job = tasks.send_release_copies
        if when > timezone.now():
            if not job.get_backend().supports_defer:
                return  # a queue that cannot wait (in-process tests): the sweep sends it
            job = job.using(run_after=when)
        job.enqueue(release_id)

    transaction.on_commit(enqueue)


def sweep(now: datetime.datetime) -> dict[str, int]:
    """Copies claimed by a dead worker become *unknown*; releases public with
    copies waiting are sent; uploads abandoned before their confirmation (a
    file of people's details) go after a day.  Run by the alerts' sweep
    (``alerts.sweeps``)."""
    unknown = Recipient.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - sending.CLAIM_LEASE
    ).update(status=Status.UNKNOWN, error="worker stopped while sending")
    due = list(sending.due_releases(now))
    for release_id in due:
        tasks.send_release_copies.enqueue(release_id)
    for batch in bulletin_sends.due_batches(now):
        tasks.send_bulletin_copies.enqueue(batch)
    ImportUpload.objects.filter(created_at__lt=now - datetime.timedelta(days=1)).delete()
    return {"unknown": unknown, "releases": len(due)}

"""The sending machinery: throttled, retried, and exactly once per address.

The rule of :func:`send_release` for every row of a release's fan-out::

    render the e-mail ─► ask published() ─► claim the row (queued → claimed,
    one UPDATE … WHERE status='queued', with a lease) ─► SMTP up to the
    message's last line ─► hand over (claimed → sending) ─► "." ─► settle

Only one worker can win a claim, so two workers (or a worker and a sweep)
never send one row twice.  A worker killed before the hand-over leaves a
*claimed* row the server never took: after its lease the sweep queues it
again.  One killed in the instant between the hand-over and the settle
leaves it *sending*, in doubt: it is sent again with the same
``Message-ID`` and counted as a possible duplicate.  That rule, the
leases and the heartbeat are :mod:`alerts.handover`'s.  A temporary
failure (4xx, a dropped connection) is retried with back-off; one that
outlasts the retries puts the row back in the queue for the next sweep; a
permanent one (5xx) is recorded as failed.  Which refusals are hard or soft
*bounces*, and what they do to the address, is :mod:`alerts.bounces`'s rule.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from alerts import audience, bounces, bulletin_mail, handover, messages
from alerts.models import (
    AlertRun,
    BulletinMailing,
    Delivery,
    StaffNotice,
    Subscriber,
    Subscription,
    Suppression,
)
from releases.models import AuditLogEntry

logger = logging.getLogger(__name__)
CHUNK = 200
Status = Delivery.Status


class TemporaryFailureError(Exception):
    """The server did not take the message, but may later (4xx, connection)."""


class SoftBounceError(TemporaryFailureError):
    """The mailbox said "later" (4xx to RCPT or DATA) through every retry."""


class PermanentFailureError(Exception):
    """The server refused the message for good (5xx)."""


class HardBounceError(PermanentFailureError):
    """The address does not exist or is disabled: suppress it everywhere."""


class Throttle:
    """At most ``rate`` messages a second from this worker (0: no limit)."""

    def __init__(self, rate: float) -> None:
        self.gap = 1.0 / rate if rate > 0 else 0.0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.gap:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(self.next_at, now) + self.gap


def send(message: EmailMessage, connection, hand_over: handover.HandOver | None = None) -> str:
    """Send one message, retrying temporary failures with back-off.

    With ``hand_over`` (a claimed delivery), the row is marked *sending* at
    the last moment before the server can take the message
    (:func:`alerts.handover.deliver`), and the claim's lease is renewed
    before each retry.

    Returns the id to match the provider's webhooks with (anymail's, or our
    ``Message-ID``).  Raises :class:`HardBounceError`,
    :class:`PermanentFailureError`, :class:`SoftBounceError` or
    :class:`TemporaryFailureError` (retries exhausted): which is which is
    :func:`alerts.bounces.classify`'s rule; or
    :class:`alerts.handover.LostClaimError` (nothing was sent).
    """
    delay = settings.ALERTS_RETRY_BACKOFF
    for attempt in range(settings.ALERTS_MAX_RETRIES + 1):
        try:
            # Opened here, the connection stays open across messages (Django's
            # send() closes only a connection it opened itself): one SMTP
            # session per batch, not one per message.
            connection.open()
            if hand_over is None:
                message.connection = connection
                message.send(fail_silently=False)
            else:
                handover.deliver(message, connection, hand_over)
            status = getattr(message, "anymail_status", None)
            return (status and status.message_id) or message.extra_headers.get("Message-ID", "")
        except (handover.LostClaimError, DatabaseError):
            # Not the server's answer: a lost claim sent nothing, and a
            # database away must not settle the row "failed" — the task
            # fails and the sweep takes the claim back after its lease.
            raise
        except Exception as error:
            kind = bounces.classify(error)
            if kind == bounces.HARD:
                raise HardBounceError(str(error)[:1000]) from error
            if kind == bounces.PERMANENT:
                raise PermanentFailureError(str(error)[:1000]) from error
            logger.warning("temporary failure sending to %s: %s", message.to, error)
            connection.close()  # reconnect on the next try
            if attempt == settings.ALERTS_MAX_RETRIES:
                raise (SoftBounceError if kind == bounces.SOFT else TemporaryFailureError)(
                    str(error)[:1000]
                ) from error
            time.sleep(delay)
            delay *= 2
            if hand_over is not None:
                hand_over.renew()  # a live worker's back-off must not lose its claim
    raise AssertionError("unreachable")


def send_one(message: EmailMessage) -> str:
    """:func:`send` on a connection of its own, closed after."""
    connection = get_connection()
    try:
        return send(message, connection)
    finally:
        connection.close()


def _took_it(message: EmailMessage) -> bool:
    """Whether a send's success means the mailbox took it: an SMTP server's
    250 does; a provider's API accepting it does not (its webhook says later)."""
    return getattr(message, "anymail_status", None) is None


def claim(row_id: int, release_id: int, claimed_by: str, message_id: str = "") -> bool:
    """queued → claimed (under a lease), if nobody else has *and the release
    is public at this instant*; True when this worker won it.

    The ``published()`` check is part of the one conditional UPDATE, so the
    claim and the embargo check are a single atomic statement (and a single
    round trip: the fan-out's rate is bounded by round trips, see
    docs/PERFORMANCE.md).
    """
    return bool(
        Delivery.objects.filter(
            pk=row_id, status=Status.QUEUED, release__in=audience.public_release(release_id)
        ).update(
            status=Status.CLAIMED,
            claimed_at=timezone.now(),
            claimed_by=claimed_by,
            lease_until=timezone.now() + handover.lease(),
            attempts=F("attempts") + 1,
            message_id=message_id[:255],
        )
    )


def settle(row_id: int, status: str, *, message_id: str = "", error: str = "") -> None:
    changes: dict = {"status": status, "error": error, "lease_until": None}
    if status == Status.SENT:
        changes["sent_at"] = timezone.now()
    if message_id:
        changes["message_id"] = message_id[:255]
    Delivery.objects.filter(pk=row_id).update(**changes)


def fan_out(release) -> int:
    """Create the queued rows of a release's audience (idempotent)."""
    run, _ = AlertRun.objects.get_or_create(release=release)
    created = 0
    batch: list[Delivery] = []
    for subscriber_id in audience.alert_audience(release).iterator(chunk_size=2000):
        batch.append(Delivery(release=release, subscriber_id=subscriber_id))
        if len(batch) >= 2000:
            created += len(Delivery.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    if batch:
        created += len(Delivery.objects.bulk_create(batch, ignore_conflicts=True))
    if run.fanned_out_at is None:
        AlertRun.objects.filter(pk=run.pk).update(fanned_out_at=timezone.now())
    return created


def send_release(release_id: int) -> dict[str, int | str]:
    """Fan out and send a release's alerts, if (and while) it is public."""
    release = messages.load_release(release_id)
    if release is None or not audience.is_public(release_id):
        return {"skipped": "not public"}
    if bulletin_mail.holds_back(release_id):
        # Its bulletin goes as one e-mail: send it if this embargo completed it.
        for mailing_id in bulletin_mail.due():
            send_bulletin(mailing_id)
        if bulletin_mail.holds_back(release_id):
            return {"skipped": "held for its bulletin"}
    fan_out(release)
    me = handover.process_token()
    counts = {"sent": 0, "failed": 0, "bounced": 0, "suppressed": 0, "requeued": 0, "lost": 0}
    followed = audience.matching_subscriptions(
        release, Subscription.objects.active().filter(frequency="immediate")
    )
    throttle, tried = Throttle(settings.ALERTS_SEND_RATE), set()
    renderer = messages.AlertRenderer(release)
    connection = get_connection()
    try:
        while True:
            rows = list(
                Delivery.objects.filter(
                    release=release, kind=Delivery.Kind.ALERT, status=Status.QUEUED
                )
                .exclude(pk__in=tried)
                .select_related("subscriber")
                .order_by("pk")[:CHUNK]
            )
            if not rows:
                break
            ids = [row.subscriber_id for row in rows]
            suppressed = set(
                Suppression.objects.filter(
                    email__in=[row.subscriber.email for row in rows]
                ).values_list("email", flat=True)
            )
            mine: dict[int, list[Subscription]] = {}
            for subscription in followed.filter(subscriber_id__in=ids):
                mine.setdefault(subscription.subscriber_id, []).append(subscription)
            for row in rows:
                tried.add(row.pk)
                if row.subscriber.email in suppressed:
                    Delivery.objects.filter(pk=row.pk, status=Status.QUEUED).update(
                        status=Status.SUPPRESSED
                    )
                    counts["suppressed"] += 1
                    continue
                message = renderer.message(row.subscriber, mine.get(row.subscriber_id, []))
                # The same Message-ID at every (re-)send of this row.
                message.extra_headers["Message-ID"] = handover.message_id(
                    f"alert-{row.pk}", messages.site_host()
                )
                message.metadata = {"alerts_delivery": str(row.pk)}  # echoed by providers
                if not claim(row.pk, release_id, me, message.extra_headers["Message-ID"]):
                    if not audience.is_public(release_id):
                        return {**counts, "stopped": "no longer public"}
                    continue  # another worker has it
                hand_over = handover.HandOver(Delivery.objects.filter(pk=row.pk), me)
                counts[_send_claimed(row, message, connection, hand_over)] += 1
                throttle.wait()
    finally:
        connection.close()
    if not Delivery.objects.filter(
        release=release, kind=Delivery.Kind.ALERT, status=Status.QUEUED
    ).exists():
        AlertRun.objects.filter(release=release, finished_at=None).update(
            finished_at=timezone.now()
        )
    return counts


def _send_claimed(
    row: Delivery, message: EmailMessage, connection, hand_over: handover.HandOver
) -> str:
    """SMTP for a claimed row, and its settling: sent, bounced (hard, or the
    soft bounce that reached the limit: the address is suppressed), failed,
    or back in the queue for the sweep (temporary, within the retries);
    *lost* when the claim was taken back before the hand-over (the worker
    that took it sends it)."""
    email = row.subscriber.email
    try:
        message_id = send(message, connection, hand_over)
    except handover.LostClaimError:
        return "lost"
    except HardBounceError as error:
        bounces.hard_bounce(email, "smtp", str(error))
        settle(row.pk, Status.BOUNCED, error=str(error))
        return "bounced"
    except PermanentFailureError as error:
        settle(row.pk, Status.FAILED, error=str(error))
        return "failed"
    except TemporaryFailureError as error:
        if isinstance(error, SoftBounceError) and bounces.soft_bounce(email, "smtp", str(error)):
            settle(row.pk, Status.BOUNCED, error=str(error))
            return "bounced"
        # Not taken by the server: safe to try again later (the sweep does),
        # unless it has been tried too often.
        again = Status.FAILED if _attempts(row.pk) > settings.ALERTS_MAX_RETRIES else Status.QUEUED
        settle(row.pk, again, error=str(error))
        return "failed" if again == Status.FAILED else "requeued"
    settle(row.pk, Status.SENT, message_id=message_id)
    if row.subscriber.soft_bounces and _took_it(message):
        bounces.delivered(row.subscriber_id)
    return "sent"


def _attempts(row_id: int) -> int:
    return Delivery.objects.filter(pk=row_id).values_list("attempts", flat=True).first() or 0


def digest_key(subscriber_id: int, period: datetime.datetime) -> str:
    """The idempotency key of one address's digest for one period."""
    return f"digest:{subscriber_id}:{period.astimezone(datetime.UTC):%Y%m%dT%H%M}"


def send_digest(subscriber_id: int) -> dict[str, int | str]:
    """The due digest of one address, and any earlier one still to go.

    A digest is a set of ``Delivery`` rows sharing a :func:`digest_key`
    (address × period), written once, with the subscriptions' ``last_digest_at``
    in the same transaction.  The rows are then claimed together by one
    conditional UPDATE (queued → sending) and settled together.  A digest
    that fails for now goes back to *queued* and the sweep enqueues this task
    again: the same rows, the same releases, claimed again — not lost, and not
    sent twice (a second task, or a retry after a send that did go, finds no
    queued row to claim).
    """
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return {"skipped": "no such address"}
    if audience.is_suppressed(subscriber.email):
        Delivery.objects.filter(
            subscriber=subscriber, kind=Delivery.Kind.DIGEST, status=Status.QUEUED
        ).update(status=Status.SUPPRESSED)
        return {"skipped": "suppressed"}
    _plan_digest(subscriber)
    counts = {"sent": 0, "failed": 0, "bounced": 0, "requeued": 0, "skipped": 0}
    keys = (
        Delivery.objects.filter(
            subscriber=subscriber, kind=Delivery.Kind.DIGEST, status=Status.QUEUED
        )
        .exclude(digest_key="")
        .order_by("digest_key")
        .values_list("digest_key", flat=True)
        .distinct()
    )
    for key in list(keys):
        counts[_send_digest_rows(subscriber, key)] += 1
    return counts


def _plan_digest(subscriber: Subscriber) -> None:
    """Write the rows of the digest due now, if one is (idempotent per period)."""
    now = timezone.now()
    due = {}
    for s in (
        Subscription.objects.active()
        .filter(subscriber=subscriber)
        .exclude(frequency="immediate")
        .select_related("subscriber")
    ):
        instant = audience.digest_due(s, now)
        if instant is not None:
            due[s] = instant
    if not due:
        return
    since = min(s.last_digest_at or s.confirmed_at for s in due)
    releases, _ = audience.digest_releases(subscriber, since, now)
    key = digest_key(subscriber.pk, max(due.values()))
    with transaction.atomic():
        Subscription.objects.filter(pk__in=[s.pk for s in due]).update(last_digest_at=now)
        Delivery.objects.bulk_create(
            [
                Delivery(
                    release=release,
                    subscriber=subscriber,
                    kind=Delivery.Kind.DIGEST,
                    digest_key=key,
                )
                for release in releases
            ],
            ignore_conflicts=True,  # a release this address already has: not again
        )


def send_bulletin(mailing_id: int) -> dict[str, int | str]:
    """A bulletin as one e-mail to each address it reaches (``alerts.bulletin_mail``).

    Its rows are written once per address (release × address, unique, as
    every delivery) under one key, then claimed and settled together like a
    digest's: a second run, a retry or a second worker finds nothing left to
    claim.  Sent only while complete; every release checked public at send.
    """
    mailing = BulletinMailing.objects.select_related("bulletin").filter(pk=mailing_id).first()
    if mailing is None or mailing.sent_at is not None:
        return {"skipped": "no such mailing, or gone"}
    if not bulletin_mail.is_complete(mailing):
        return {"skipped": "not complete"}
    bulletin_mail.plan(mailing)
    counts = {"sent": 0, "failed": 0, "bounced": 0, "requeued": 0, "skipped": 0, "suppressed": 0}
    bulletin = mailing.bulletin

    def build(subscriber: Subscriber, release_ids: list[int]) -> EmailMessage:
        answered = list(
            Subscription.objects.active().filter(subscriber=subscriber, frequency="immediate")
        )
        return messages.bulletin_message(
            subscriber, bulletin, messages.releases_for_mail(release_ids), answered
        )

    for subscriber in bulletin_mail.waiting_subscribers(mailing):
        key = bulletin_mail.bulletin_key(mailing.pk, subscriber.pk)
        if audience.is_suppressed(subscriber.email):
            Delivery.objects.filter(digest_key=key, status=Status.QUEUED).update(
                status=Status.SUPPRESSED
            )
            counts["suppressed"] += 1
            continue
        counts[_send_digest_rows(subscriber, key, build)] += 1
    bulletin_mail.mark_sent_if_done(mailing)
    return counts


def _send_digest_rows(
    subscriber: Subscriber,
    key: str,
    build: Callable[[Subscriber, list[int]], EmailMessage] | None = None,
) -> str:
    """Claim and send the queued rows under ``key`` as one e-mail (a digest,
    or a bulletin's copy when ``build`` makes the message)."""
    rows = Delivery.objects.filter(subscriber=subscriber, digest_key=key)
    public = set(
        audience.public_ids(rows.filter(status=Status.QUEUED).values_list("release_id", flat=True))
    )
    # A release withdrawn or re-embargoed since the digest was planned is not sent.
    rows.filter(status=Status.QUEUED).exclude(release_id__in=public).update(
        status=Status.FAILED, error="no longer public"
    )
    token = handover.claim_token()
    claimed = rows.filter(status=Status.QUEUED).update(
        status=Status.CLAIMED,
        claimed_at=timezone.now(),
        claimed_by=token,
        lease_until=timezone.now() + handover.lease(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return "skipped"  # another worker has it, or nothing is left to send
    mine = rows.filter(claimed_by=token, status__in=handover.HELD)
    ids = list(mine.values_list("release_id", flat=True))
    if build is not None:
        message = build(subscriber, ids)
    else:
        answered = list(
            Subscription.objects.active()
            .filter(subscriber=subscriber)
            .exclude(frequency="immediate")
        )
        message = messages.digest_message(subscriber, messages.releases_for_mail(ids), answered)
    # One e-mail for the rows of one key: the same Message-ID at every (re-)send.
    message.extra_headers["Message-ID"] = handover.message_id(key, messages.site_host())
    message.metadata = {"alerts_key": key}  # echoed by providers
    connection = get_connection()
    try:
        message_id = send(message, connection, handover.HandOver(mine, token))
    except handover.LostClaimError:
        return "skipped"  # the claim was taken back: whoever holds it now sends it
    except HardBounceError as error:
        bounces.hard_bounce(subscriber.email, "smtp", str(error))
        mine.update(status=Status.BOUNCED, error=str(error))
        return "bounced"
    except PermanentFailureError as error:
        mine.update(status=Status.FAILED, error=str(error))
        return "failed"
    except TemporaryFailureError as error:
        if isinstance(error, SoftBounceError) and bounces.soft_bounce(
            subscriber.email, "smtp", str(error)
        ):
            mine.update(status=Status.BOUNCED, error=str(error))
            return "bounced"
        tries = mine.values_list("attempts", flat=True).first() or 0
        again = Status.FAILED if tries > settings.ALERTS_MAX_RETRIES else Status.QUEUED
        mine.update(status=again, error=str(error), lease_until=None)
        return "failed" if again == Status.FAILED else "requeued"
    finally:
        connection.close()
    mine.update(
        status=Status.SENT, sent_at=timezone.now(), message_id=message_id[:255], lease_until=None
    )
    if _took_it(message):
        bounces.delivered(subscriber.pk)
    return "sent"


def send_confirmation(subscription_id: int) -> str:
    """The confirmation e-mail of a pending sign-up (nothing else goes before it)."""
    subscription = (
        Subscription.objects.select_related("subscriber")
        .filter(pk=subscription_id, confirmed_at__isnull=True)
        .first()
    )
    if subscription is None:
        return "nothing to confirm"
    if audience.is_suppressed(subscription.subscriber.email):
        return "suppressed"
    try:
        send_one(messages.confirmation_message(subscription))
    except HardBounceError as error:
        bounces.hard_bounce(subscription.subscriber.email, "smtp", str(error))
        return "bounced"
    return "sent"


def send_staff_notices(entry_id: int) -> int:
    """Workflow e-mails for one audit entry, once per person."""
    entry = AuditLogEntry.objects.select_related("release", "user").filter(pk=entry_id).first()
    if entry is None:
        return 0
    sent = 0
    for user in audience.staff_recipients(entry):
        notice, created = StaffNotice.objects.get_or_create(entry=entry, user=user)
        if not created and notice.status != Status.QUEUED:
            continue
        if not StaffNotice.objects.filter(pk=notice.pk, status=Status.QUEUED).update(
            status=Status.SENDING
        ):
            continue
        try:
            send_one(messages.staff_message(entry, user.email))
        except (PermanentFailureError, TemporaryFailureError) as error:
            StaffNotice.objects.filter(pk=notice.pk).update(status=Status.FAILED, error=str(error))
            continue
        StaffNotice.objects.filter(pk=notice.pk).update(status=Status.SENT, sent_at=timezone.now())
        sent += 1
    return sent

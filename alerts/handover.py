"""Exactly once: the moment a claimed delivery is handed to the mail server.

A worker can be killed at any instant.  What happens to the e-mail depends
only on where the row was, so the row is moved at the last possible moment::

    queued ─claim─► claimed ─► SMTP: MAIL, RCPT, DATA, the message's lines
                       │          ─► mark *sending* (committed) ─► "." ─► 250 ─► sent
                       │                      │
    lease ran out:  back to queued      lease ran out: in doubt — queued again,
    (never handed over; the server      ``in_doubt`` + 1, sent again with the same
    drops a DATA without its ".")       ``Message-ID`` (after ``ALERTS_IN_DOUBT_RESENDS``:
                                        *unknown*, never again)

An SMTP server takes a message only when it has read the final ``"."`` and
answered 250 (RFC 5321 §4.1.1.4); a connection that dies before the ``"."``
leaves nothing.  So a row still *claimed* when its worker died was never
handed over and is safely queued again.  Only a row marked *sending* — the
few milliseconds between writing ``"."`` and committing *sent* — is in
doubt.  It is sent again (not lost) with the same, deterministic
``Message-ID`` (:func:`message_id`), which lets mailbox providers that
de-duplicate on it (Gmail is known to) show one message; ``in_doubt`` counts each
such re-send as a *possible duplicate* in the report.

**Leases.**  A claim holds for ``ALERTS_CLAIM_LEASE_SECONDS``.  A live
worker's :class:`Heartbeat` moves the lease of every row it holds on, so a
slow worker (a slow server, retries with back-off) keeps its rows; the hand-
over itself renews it.  The hand-over is *fenced*: it marks the row only if
this claim still holds it, and a worker whose claim was taken back aborts
the transaction before the ``"."`` — the other worker's copy is the only one.

**Providers** (``EMAIL_URL=anymail://…``): one API call cannot be split, so
the row is marked *sending* just before the call and the in-doubt window is
the whole call: at least once, with the same ``Message-ID`` (providers may
replace it) and the row's id in the message's metadata, so a tracking event
for it settles the row *sent* (``alerts.webhooks``) before any re-send.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import re
import secrets
import smtplib
import socket
import threading

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import connection as db_connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

from alerts.models import Delivery

logger = logging.getLogger(__name__)
Status = Delivery.Status
HELD = (Status.CLAIMED, Status.SENDING)
_NONCE = secrets.token_hex(3)


class LostClaimError(Exception):
    """The claim was taken back before the hand-over: nothing was sent."""


def process_token() -> str:
    """This worker process in ``claimed_by``: host, pid and a start nonce
    (a pid can be reused; the nonce tells two lives of it apart)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{_NONCE}"


def claim_token() -> str:
    """One claim of this process (digests and bulletins claim several rows at once)."""
    return f"{process_token()}:{secrets.token_hex(4)}"


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.ALERTS_CLAIM_LEASE_SECONDS)


def message_id(key: str, host: str) -> str:
    """The ``Message-ID`` of one delivery, the same at every (re-)send.

    ``key`` names the delivery (``alert-<row id>``, or a digest's or
    bulletin's key); a keyed hash of it makes the id differ between two
    installations (a staging copy) that share a host name and row ids, so a
    receiver that de-duplicates on it never drops another site's message.
    """
    local = re.sub(r"[^A-Za-z0-9.-]", ".", key)[:120]
    tag = salted_hmac("alerts.handover.message_id", key).hexdigest()[:12]
    return f"<{local}.{tag}@{host}>"


class HandOver:
    """Marks the claimed rows *sending*, if the claim still holds them.

    Called by the sender at the last moment (just before the ``"."``).
    ``unanswered`` is set while the server's answer to a hand-over is
    awaited: a retry after an unanswered hand-over is a possible duplicate.
    """

    def __init__(self, rows: QuerySet, token: str) -> None:
        self.rows = rows.filter(claimed_by=token, status__in=HELD)
        self.unanswered = False

    def __call__(self) -> bool:
        changes: dict = {"status": Status.SENDING, "lease_until": timezone.now() + lease()}
        if self.unanswered:  # the last hand-over got no answer: this one may duplicate it
            changes["in_doubt"] = F("in_doubt") + 1
        done = bool(self.rows.update(**changes))
        self.unanswered = False
        return done

    def renew(self) -> None:
        self.rows.update(lease_until=timezone.now() + lease())


def deliver(message: EmailMessage, connection, hand_over: HandOver) -> None:
    """Send ``message`` on an open ``connection``, calling ``hand_over`` at
    the last moment before the server can take it.  Raises what Django's
    backends raise (``smtplib`` errors for SMTP), or :class:`LostClaimError`."""
    if isinstance(connection, SMTPBackend) and connection.connection is not None:
        _smtp_deliver(message, connection, hand_over)
        return
    # Another backend (a provider's API, files): one call that cannot be split.
    if not hand_over():
        raise LostClaimError("the claim was taken back before the hand-over")
    hand_over.unanswered = True
    message.connection = connection
    try:
        message.send(fail_silently=False)
    except OSError:
        raise  # no answer: the provider may have taken it
    except Exception:
        hand_over.unanswered = False  # the provider answered "no"
        raise
    hand_over.unanswered = False


def _smtp_deliver(message: EmailMessage, backend: SMTPBackend, hand_over: HandOver) -> None:
    """``smtplib.SMTP.sendmail``, step by step, with the hand-over before the ``"."``."""
    smtp = backend.connection
    encoding = message.encoding or settings.DEFAULT_CHARSET
    sender = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in message.recipients()]
    data = message.message().as_bytes(linesep="\r\n")
    smtp.ehlo_or_helo_if_needed()
    options = [f"size={len(data)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
    code, reply = smtp.mail(sender, options)
    if code != 250:
        _end_transaction(backend, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for recipient in recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, reply)
        if code == 421:
            _abort(backend)
            raise smtplib.SMTPRecipientsRefused(refused)
    if len(refused) == len(recipients):
        _end_transaction(backend, 0)
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = smtp.docmd("data")
    if code != 354:
        _end_transaction(backend, code)
        raise smtplib.SMTPDataError(code, reply)
    body = re.sub(rb"(?m)^\.", b"..", data)  # dot-stuffing, as smtplib does
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    try:
        smtp.send(body)
        handed = hand_over()
    except BaseException:
        _abort(backend)  # no ".": the server drops what it has read
        raise
    if not handed:
        _abort(backend)
        raise LostClaimError("the claim was taken back before the hand-over")
    hand_over.unanswered = True
    smtp.send(b".\r\n")
    code, reply = smtp.getreply()
    hand_over.unanswered = False
    if code != 250:
        _end_transaction(backend, code)
        raise smtplib.SMTPDataError(code, reply)


def _end_transaction(backend: SMTPBackend, code: int) -> None:
    """After a refusal: RSET to reuse the session, or drop it after a 421."""
    if code == 421:
        _abort(backend)
        return
    try:
        backend.connection.rset()
    except (smtplib.SMTPException, OSError):
        _abort(backend)


def _abort(backend: SMTPBackend) -> None:
    """Close the socket without a word (a QUIT inside DATA would be message text)."""
    smtp, backend.connection = backend.connection, None
    if smtp is not None:
        with contextlib.suppress(OSError):
            smtp.close()


def recover(now: datetime.datetime) -> dict[str, int]:
    """The sweep's part: take back the rows of claims whose lease ran out.

    * claimed, never handed over → queued (nothing left);
    * *sending* (in doubt) → queued, ``in_doubt`` + 1: sent again with the
      same ``Message-ID``; one in doubt ``ALERTS_IN_DOUBT_RESENDS`` times
      already → *unknown* (a message that kills its workers is not retried
      for ever).

    A row of the old, at-most-once scheme (``lease_until`` empty) is judged
    by ``claimed_at`` and the same lease.
    """
    expired = Q(lease_until__lt=now) | Q(lease_until__isnull=True, claimed_at__lt=now - lease())
    held = Delivery.objects.filter(expired)
    requeued = held.filter(status=Status.CLAIMED).update(
        status=Status.QUEUED,
        claimed_by="",
        lease_until=None,
        error="claim expired before the hand-over: queued again",
    )
    doubtful = held.filter(status=Status.SENDING)
    unknown = doubtful.filter(in_doubt__gte=settings.ALERTS_IN_DOUBT_RESENDS).update(
        status=Status.UNKNOWN, error="in doubt too often: not sent again"
    )
    resent = doubtful.update(
        status=Status.QUEUED,
        claimed_by="",
        lease_until=None,
        in_doubt=F("in_doubt") + 1,
        error="in doubt (worker stopped after the hand-over): sent again, same Message-ID",
    )
    return {"requeued": requeued, "in_doubt": resent, "unknown": unknown}


def renew_mine() -> int:
    """Move on the lease of every row this process holds."""
    mine = Q(claimed_by=process_token()) | Q(claimed_by__startswith=process_token() + ":")
    return (
        Delivery.objects.filter(status__in=HELD)
        .filter(mine)
        .update(lease_until=timezone.now() + lease())
    )


class Heartbeat(threading.Thread):
    """The worker's heartbeat: renews its rows' leases every third of a lease.

    A thread of its own (its own database connection), so a worker blocked
    in a slow SMTP exchange keeps its claims; a killed worker's stop.
    Started by ``manage.py alerts_worker``.
    """

    def __init__(self) -> None:
        super().__init__(name="alerts-heartbeat", daemon=True)
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = max(0.2, settings.ALERTS_CLAIM_LEASE_SECONDS / 3)
        while not self.stopped.wait(interval):
            try:
                renew_mine()
            except Exception as exc:  # the database away: the next beat tries again
                logger.warning("alerts heartbeat: %s", exc)
            finally:
                db_connection.close()

    def stop(self) -> None:
        self.stopped.set()

"""Sending a release's media-list copies: render, claim, send, settle.

:mod:`medialists.plans` writes one *queued* :class:`~medialists.models.Recipient`
row per person and books :func:`send_release_copies` (the worker's task) for
the release's instant.  For each row it does what the alerts do
(``alerts.delivery``)::

    render ─► ask the audience rule again ─► claim (queued → sending, one
    UPDATE … WHERE status='queued' AND the release is published() now)
    ─► SMTP ─► settle (sent / failed / bounced)

The claim carries the embargo check, so a task that fires for an embargo
since moved or lifted, or for a withdrawn release, sends nothing; the rows
wait, queued, for the release's next instant (the workflow's audit entry
books it again, and the sweep is the safety net).  A row left *sending* by a
worker that died is never sent again (*unknown*): at most once.  A vetted
journalist whose advance notice went is not sent the ordinary copy
(:func:`medialists.advance.settle`, first thing at the instant).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import make_msgid
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from alerts import audience as alerts_audience
from alerts import bounces, delivery, messages
from core.urls import absolute_url
from medialists import advance, audience, tokens
from medialists.models import Distribution, MediaPerson, Recipient
from releases.models import PressRelease

logger = logging.getLogger(__name__)
Status = Recipient.Status
#: A row claimed this long ago and never settled: its worker died.
CLAIM_LEASE = datetime.timedelta(minutes=10)


def sendable(release: PressRelease) -> bool:
    """Approved (it goes when published), scheduled or already public."""
    return release.status in (PressRelease.Status.APPROVED, PressRelease.Status.PUBLISHED)


def unsubscribe_url(recipient: Recipient) -> str:
    token = tokens.unsubscribe_token(recipient.pk, recipient.email)
    return absolute_url(reverse("medialists:unsubscribe", args=[token]))


def message(release: PressRelease, distribution: Distribution, recipient: Recipient):
    """The e-mail of one copy: the personal note, the release as in an alert,
    and a signed unsubscribe link (also as RFC 8058 headers)."""
    url = unsubscribe_url(recipient)
    context = {
        "SITE_NAME": settings.NEWSROOM_SITE_NAME,
        "SITE_URL": settings.NEWSROOM_SITE_URL,
        **messages.release_context(release),
        "note": distribution.note,
        "unsubscribe_url": url,
    }
    text = render_to_string("medialists/email/release.txt", context)
    html = messages._INLINER.inline(render_to_string("medialists/email/release.html", context))
    return envelope(release.title, text, html, recipient, url)


def envelope(subject: str, text: str, html: str, recipient: Recipient, url: str):
    """A media-list e-mail around its two parts: headers, unsubscribe, metadata."""
    mail = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:250],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={
            "Message-ID": make_msgid(domain=messages.site_host()),
            "List-Id": f"{settings.NEWSROOM_SITE_NAME} media list <media.{messages.site_host()}>",
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    mail.attach_alternative(html, "text/html")
    # Providers (anymail) echo metadata in their webhooks; opens and clicks stay off.
    mail.metadata = {"medialists_recipient": str(recipient.pk)}
    mail.track_opens = settings.MEDIALISTS_TRACK_OPENS
    mail.track_clicks = settings.MEDIALISTS_TRACK_OPENS
    return mail


def preview(release: PressRelease, note: str) -> tuple[str, str, str]:
    """The e-mail as a recipient would see it (subject, text, HTML), for the send page."""
    fake = Recipient(pk=0, email="journalist@example.org")
    mail = message(release, Distribution(note=note), fake)
    return mail.subject, mail.body, mail.alternatives[0][0]


def claim(row_id: int, release_id: int, message_id: str) -> bool:
    """queued → sending, if nobody else has and the release is public now."""
    return bool(
        Recipient.objects.filter(
            pk=row_id,
            status=Status.QUEUED,
            release__in=alerts_audience.public_release(release_id),
        ).update(
            status=Status.SENDING,
            claimed_at=timezone.now(),
            attempts=F("attempts") + 1,
            message_id=message_id[:255],
        )
    )


def settle(row_id: int, status: str, *, message_id: str = "", error: str = "") -> None:
    changes: dict = {"status": status, "error": error[:2000]}
    if status == Status.SENT:
        changes["sent_at"] = timezone.now()
    if message_id:
        changes["message_id"] = message_id[:255]
    Recipient.objects.filter(pk=row_id).update(**changes)


def send_release_copies(release_id: int) -> dict[str, int | str]:
    """Send every queued copy of a release, if (and while) it is public."""
    release = messages.load_release(release_id)
    if release is None or not alerts_audience.is_public(release_id):
        return {"skipped": "not public"}
    # Whose advance notice was their copy, and who still needs the ordinary one.
    told = advance.settle(release_id)["advance"]
    counts = {"sent": 0, "failed": 0, "bounced": 0, "excluded": 0, "requeued": 0}
    counts["advance"] = told
    tried: set[int] = set()
    throttle = delivery.Throttle(settings.ALERTS_SEND_RATE)
    connection = get_connection()
    try:
        while True:
            rows = list(
                # A bulletin's copies go together, as one e-mail (medialists.bulletin_sends).
                Recipient.objects.filter(
                    release_id=release_id, status=Status.QUEUED, distribution__batch=None
                )
                .exclude(pk__in=tried)
                .select_related("person", "distribution")
                .order_by("pk")[:200]
            )
            if not rows:
                break
            for row in rows:
                tried.add(row.pk)
                reason = audience.excluded_now(row.person)
                if reason:
                    status = Status.SUPPRESSED if reason == audience.SUPPRESSED else Status.EXCLUDED
                    Recipient.objects.filter(pk=row.pk, status=Status.QUEUED).update(
                        status=status, error=reason
                    )
                    counts["excluded"] += 1
                    continue
                mail = message(release, row.distribution, row)
                if not claim(row.pk, release_id, mail.extra_headers["Message-ID"]):
                    if not alerts_audience.is_public(release_id):
                        return {**counts, "stopped": "no longer public"}
                    continue  # another worker has it
                counts[_send_claimed(row, mail, connection)] += 1
                throttle.wait()
    finally:
        connection.close()
    finished(release_id)
    return counts


def _send_claimed(row: Recipient, mail, connection) -> str:
    return send_claimed([row], mail, connection)


def send_claimed(rows: list[Recipient], mail, connection) -> str:
    """Send one e-mail carrying the claimed copies ``rows`` (one person's), settle them all."""
    ids = [row.pk for row in rows]

    def settle_all(status: str, **kwargs) -> None:
        for row_id in ids:
            settle(row_id, status, **kwargs)

    try:
        message_id = delivery.send(mail, connection)
    except delivery.HardBounceError as error:
        bounces.hard_bounce(rows[0].email, "smtp", str(error))
        settle_all(Status.BOUNCED, error=str(error))
        return "bounced"
    except delivery.PermanentFailureError as error:
        settle_all(Status.FAILED, error=str(error))
        return "failed"
    except delivery.TemporaryFailureError as error:
        # Not taken: safe to try again at the next sweep, a few times only
        # (a mailbox full for days is not retried for ever).
        attempts = Recipient.objects.filter(pk=ids[0]).values_list("attempts", flat=True).first()
        if (attempts or 0) > settings.ALERTS_MAX_RETRIES:
            settle_all(Status.FAILED, error=str(error))
            return "failed"
        settle_all(Status.QUEUED, error=str(error))
        return "requeued"
    settle_all(Status.SENT, message_id=message_id)
    return "sent"


def finished(release_id: int) -> None:
    waiting = Recipient.objects.filter(release_id=release_id, status=Status.QUEUED)
    Distribution.objects.filter(release_id=release_id, finished_at=None).exclude(
        pk__in=waiting.values("distribution_id")
    ).update(finished_at=timezone.now())


def due_releases(now: datetime.datetime) -> QuerySet:
    """Releases public now with copies still waiting (the sweep's safety net)."""
    waiting = Recipient.objects.filter(status__in=[Status.QUEUED, Status.ADVANCE]).values(
        "release_id"
    )
    return PressRelease.objects.published(now).filter(pk__in=waiting).values_list("pk", flat=True)


def report(distribution: Distribution) -> dict[str, int]:
    """Counts of one send: how many copies are in each state, and the totals
    the report shows (sent counts every copy that left)."""
    counts = {s: 0 for s in Status.values}
    for status in distribution.recipients.values_list("status", flat=True):
        counts[status] += 1
    # An advance notice counts as the person's delivery once it went; until
    # then their copy is waiting, like the others.
    if counts[Status.ADVANCE]:
        emails = distribution.recipients.filter(status=Status.ADVANCE).values_list(
            "email", flat=True
        )
        states = advance.notice_states(distribution.release_id, emails)
        went = sum(1 for s in states.values() if s in advance.WENT)
        counts[Status.QUEUED] += counts[Status.ADVANCE] - went
        counts[Status.ADVANCE] = went
    left = sum(
        counts[s]
        for s in (
            Status.SENT,
            Status.ADVANCE,
            Status.DELIVERED,
            Status.BOUNCED,
            Status.COMPLAINED,
            Status.UNSUBSCRIBED,
        )
    )
    return {**counts, "left": left}


def people_for(distribution: Distribution) -> QuerySet:
    return MediaPerson.objects.filter(receipts__distribution=distribution)

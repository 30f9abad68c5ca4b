"""Advance-notice e-mails: "a release is open to you, embargoed until …".

The rule of :func:`send_notices` for each journalist the release is open to::

    write a queued row (release × journalist, unique) ─► suppressed? skip ─►
    claim it (queued → sending, one UPDATE … WHERE status='queued' AND the
    release is still open) ─► SMTP ─► settle (sent / failed / queued again)

Only one worker wins a claim, so a task and the sweep, or two workers, never
send one notice twice; a worker killed after its claim leaves the row
*sending*, which the sweep later calls *unknown* and never sends again (at
most once).  The claim asks :func:`pressroom.rules.open_releases` in the same
statement, so a release withdrawn, sent back or rescheduled before the notice
time sends nothing.  Who is told is :func:`pressroom.rules.audience`.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from alerts import audience as alerts_audience
from alerts import delivery
from alerts.messages import site_host
from core.urls import absolute_url
from journalists.models import Journalist
from pressroom import access_log, rules
from pressroom.embargo import banner_text, embargo_until
from pressroom.models import AdvanceNotice
from releases.models import PressRelease

logger = logging.getLogger(__name__)
Status = AdvanceNotice.Status
#: A notice claimed this long ago and never settled: its worker died.
CLAIM_LEASE = datetime.timedelta(minutes=10)


def notice_message(release: PressRelease, journalist: Journalist) -> EmailMultiAlternatives:
    """The e-mail: EMBARGOED in the subject and at the top of both parts."""
    context = {
        "release": release,
        "journalist": journalist,
        "banner": banner_text(release),
        "until": embargo_until(release),
        "url": absolute_url(release.get_absolute_url()),
        "press_room_url": absolute_url("/press-room/"),
        "SITE_NAME": settings.NEWSROOM_SITE_NAME,
    }
    subject = f"EMBARGOED until {embargo_until(release)}: {release.title}"
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:250],
        body=render_to_string("pressroom/email/advance_notice.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[journalist.user.email],
        headers={"Message-ID": make_msgid(domain=site_host())},
    )
    message.attach_alternative(
        render_to_string("pressroom/email/advance_notice.html", context), "text/html"
    )
    return message


def _claim(row_id: int, release_id: int) -> bool:
    """queued → sending, if nobody else has and the release is still open."""
    return bool(
        AdvanceNotice.objects.filter(
            pk=row_id,
            status=Status.QUEUED,
            release__in=rules.open_releases().filter(pk=release_id).values("pk"),
        ).update(status=Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1)
    )


def send_notices(release_id: int) -> dict[str, int | str]:
    """Write and send the advance notices of one release, if it is open now."""
    release = PressRelease.objects.filter(pk=release_id).first()
    if release is None or not rules.open_releases().filter(pk=release_id).exists():
        AdvanceNotice.objects.filter(release_id=release_id, status=Status.QUEUED).update(
            status=Status.CANCELLED
        )
        return {"skipped": "not open"}
    AdvanceNotice.objects.bulk_create(
        [AdvanceNotice(release=release, journalist=j) for j in rules.audience(release)],
        ignore_conflicts=True,  # one notice per journalist and release, ever
    )
    counts = {"sent": 0, "failed": 0, "suppressed": 0, "requeued": 0, "skipped": 0}
    rows = AdvanceNotice.objects.filter(release=release, status=Status.QUEUED).select_related(
        "journalist__user"
    )
    for row in list(rows.order_by("pk")):
        email = row.journalist.user.email
        if not email or alerts_audience.is_suppressed(email):
            AdvanceNotice.objects.filter(pk=row.pk, status=Status.QUEUED).update(
                status=Status.SUPPRESSED
            )
            counts["suppressed"] += 1
            continue
        message = notice_message(release, row.journalist)
        if not _claim(row.pk, release_id):
            counts["skipped"] += 1
            continue
        counts[_send_claimed(row, message)] += 1
    return counts


def _send_claimed(row: AdvanceNotice, message: EmailMultiAlternatives) -> str:
    try:
        delivery.send_one(message)
    except delivery.HardBounceError as error:
        from alerts import bounces

        bounces.hard_bounce(row.journalist.user.email, "smtp", str(error))
        _settle(row.pk, Status.FAILED, str(error))
        return "failed"
    except delivery.PermanentFailureError as error:
        _settle(row.pk, Status.FAILED, str(error))
        return "failed"
    except delivery.TemporaryFailureError as error:
        tries = AdvanceNotice.objects.filter(pk=row.pk).values_list("attempts", flat=True).first()
        again = Status.FAILED if (tries or 0) > settings.ALERTS_MAX_RETRIES else Status.QUEUED
        _settle(row.pk, again, str(error))
        return "failed" if again == Status.FAILED else "requeued"
    AdvanceNotice.objects.filter(pk=row.pk).update(
        status=Status.SENT, sent_at=timezone.now(), error=""
    )
    return "sent"


def _settle(row_id: int, status: str, error: str = "") -> None:
    AdvanceNotice.objects.filter(pk=row_id).update(status=status, error=error[:1000])


def run_sweep(now: datetime.datetime) -> dict[str, int]:
    """The press room's part of the worker's sweep (``alerts.sweeps``).

    Notices claimed by a dead worker become *unknown* (never sent again);
    every release open now gets its due notices (the safety net behind the
    task booked for the opening time, and how a journalist approved after
    the opening is told); notices of releases closed since are cancelled;
    the access log older than ``PRESSROOM_ACCESS_LOG_DAYS`` goes.
    """
    unknown = AdvanceNotice.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - CLAIM_LEASE
    ).update(status=Status.UNKNOWN, error="worker stopped while sending")
    sent = 0
    for release_id in rules.open_releases(now).values_list("pk", flat=True):
        result = send_notices(release_id)
        sent += int(result.get("sent", 0))
    cancelled = (
        AdvanceNotice.objects.filter(status=Status.QUEUED)
        .exclude(release__in=rules.open_releases(now).values("pk"))
        .update(status=Status.CANCELLED)
    )
    return {
        "notices_sent": sent,
        "notices_unknown": unknown,
        "notices_cancelled": cancelled,
        "access_log_purged": access_log.purge(now),
    }

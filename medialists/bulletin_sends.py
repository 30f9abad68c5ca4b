"""A bulletin sent to media lists: one e-mail per person with all its releases.

:func:`medialists.plans.plan_bulletin` writes one send per sendable release of the bulletin (so each
release keeps its own report and its own "once per person" rule, and a
person who already had one of them is not sent it again), all sharing one
``batch`` id, and books :func:`send` (the worker's task) for the batch's
:func:`instant`.

The batch's instant is the latest embargo among its *scheduled* releases:
the e-mail never leaves before every scheduled release in it is public, so
it never carries an embargoed one.  A release only approved (not yet
scheduled) does not hold the others back: its copies wait, queued, and
follow in a smaller bulletin e-mail when the workflow publishes it (the
audit entry books the batch again; the sweep is the safety net).

:func:`send` groups the due copies by person: one message with their
releases in the bulletin's order, each copy claimed before it goes (as for a
single release, with the same "public now" check in the claim) and all
settled with the one message's id, so the provider's webhooks move them
together.  Vetted journalists whose advance notice went are settled first
(:func:`medialists.advance.settle`): they get the rest only.
"""

from __future__ import annotations

import datetime
import uuid
from itertools import groupby

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import make_msgid
from django.template.loader import render_to_string
from django.utils import timezone

from alerts import audience as alerts_audience
from alerts import delivery, messages
from medialists import advance, audience, sending
from medialists.models import Distribution, Recipient
from releases.models import PressRelease

Status = Recipient.Status


def _waiting_releases(batch) -> list[PressRelease]:
    ids = Recipient.objects.filter(
        distribution__batch=batch, status__in=[Status.QUEUED, Status.ADVANCE]
    ).values("release_id")
    return list(PressRelease.objects.filter(pk__in=ids))


def instant(batch) -> datetime.datetime | None:
    """When the batch's e-mail leaves: the latest instant of its scheduled
    releases with copies waiting (None: none is scheduled yet)."""
    scheduled = [
        r.publish_at
        for r in _waiting_releases(batch)
        if r.status == PressRelease.Status.PUBLISHED and r.publish_at is not None
    ]
    return max(scheduled) if scheduled else None


def due(batch, now: datetime.datetime | None = None) -> bool:
    when = instant(batch)
    return when is not None and when <= (now or timezone.now())


def due_batches(now: datetime.datetime) -> list[str]:
    """Batches with copies waiting whose instant has come (the sweep's safety net)."""
    batches = (
        Recipient.objects.filter(status__in=[Status.QUEUED, Status.ADVANCE])
        .exclude(distribution__batch=None)
        .values_list("distribution__batch", flat=True)
        .distinct()
    )
    return [str(b) for b in batches if due(b, now)]


def message(bulletin, releases: list[PressRelease], note: str, recipient: Recipient):
    """One e-mail with ``releases`` (a person's share of the bulletin)."""
    url = sending.unsubscribe_url(recipient)
    context = {
        "SITE_NAME": settings.NEWSROOM_SITE_NAME,
        "SITE_URL": settings.NEWSROOM_SITE_URL,
        "bulletin": bulletin,
        "items": [messages.release_context(r) for r in releases],
        "note": note,
        "unsubscribe_url": url,
    }
    text = render_to_string("medialists/email/bulletin.txt", context)
    html = messages._INLINER.inline(render_to_string("medialists/email/bulletin.html", context))
    title = bulletin.title if bulletin is not None else releases[0].title
    return sending.envelope(title, text, html, recipient, url)


def preview(bulletin, releases: list[PressRelease], note: str) -> tuple[str, str, str]:
    """The e-mail as a recipient would see it (subject, text, HTML), for the send page."""
    mail = message(bulletin, releases, note, Recipient(pk=0, email="journalist@example.org"))
    return mail.subject, mail.body, mail.alternatives[0][0]


def send(batch_id: str) -> dict[str, int | str]:
    """Send the batch's waiting copies, one e-mail per person, if its instant has come."""
    batch = uuid.UUID(str(batch_id))
    if not due(batch):
        return {"skipped": "not due"}
    distributions = list(
        Distribution.objects.filter(batch=batch).select_related("bulletin").order_by("pk")
    )
    public = [d.release_id for d in distributions if alerts_audience.is_public(d.release_id)]
    counts = {"sent": 0, "failed": 0, "bounced": 0, "excluded": 0, "requeued": 0, "advance": 0}
    for release_id in public:
        counts["advance"] += advance.settle(release_id)["advance"]
    order = {d.release_id: index for index, d in enumerate(distributions)}
    releases = {r.pk: r for r in messages.releases_for_mail(public)}
    rows = sorted(
        Recipient.objects.filter(
            distribution__batch=batch, status=Status.QUEUED, release_id__in=public
        ).select_related("person", "distribution"),
        key=lambda r: (r.person_id, order[r.release_id]),
    )
    throttle = delivery.Throttle(settings.ALERTS_SEND_RATE)
    connection = get_connection()
    try:
        for _, group in groupby(rows, key=lambda r: r.person_id):
            mine = list(group)
            reason = audience.excluded_now(mine[0].person)
            if reason:
                status = Status.SUPPRESSED if reason == audience.SUPPRESSED else Status.EXCLUDED
                Recipient.objects.filter(pk__in=[r.pk for r in mine], status=Status.QUEUED).update(
                    status=status, error=reason
                )
                counts["excluded"] += len(mine)
                continue
            message_id = make_msgid(domain=messages.site_host())
            claimed = [r for r in mine if sending.claim(r.pk, r.release_id, message_id)]
            if not claimed:
                continue  # another worker has them, or the release closed since
            bulletin = distributions[0].bulletin
            mail = message(
                bulletin,
                [releases[r.release_id] for r in claimed],
                claimed[0].distribution.note,
                claimed[0],
            )
            mail.extra_headers["Message-ID"] = message_id
            counts[sending.send_claimed(claimed, mail, connection)] += 1
            throttle.wait()
    finally:
        connection.close()
    for release_id in public:
        sending.finished(release_id)
    return counts

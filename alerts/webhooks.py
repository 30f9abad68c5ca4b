"""Providers' tracking webhooks (django-anymail) → bounces and complaints.

anymail verifies each provider's signature or basic auth and turns its
payload into ``AnymailTrackingEvent``s sent with the ``tracking`` signal.
What an event does to the address is :mod:`alerts.bounces`'s rule: a hard
bounce or a complaint suppresses it at once; a soft bounce (``deferred``, or
a transient ``bounced``) counts towards ``ALERTS_SOFT_BOUNCE_LIMIT``; a
``delivered`` event starts that count again.  The delivery the event is
about is marked when it was final.

Any event about a message also proves the provider took it: a delivery
left in doubt by a worker that died during the API call (``alerts.handover``)
is found by the id the message carried in its metadata and settled *sent*,
so the sweep does not send it again.
"""

from __future__ import annotations

from anymail.signals import AnymailTrackingEvent, tracking
from django.db.models import Q
from django.utils import timezone

from alerts import bounces
from alerts.models import Delivery, Suppression

#: Events that say the provider took the message (any other than a refusal).
_REFUSED = ("rejected", "failed")


def settle_in_doubt(event: AnymailTrackingEvent) -> int:
    """A row in doubt (handed over, or queued again after it) that this
    event is about: the provider has it, so it is *sent* — never re-sent."""
    metadata = event.metadata or {}
    delivery_id, key = str(metadata.get("alerts_delivery", "")), metadata.get("alerts_key")
    if delivery_id.isascii() and delivery_id.isdigit() and len(delivery_id) < 12:
        rows = Delivery.objects.filter(pk=int(delivery_id))
    elif isinstance(key, str) and key:
        rows = Delivery.objects.filter(digest_key=key[:64])
    else:
        return 0
    if event.event_type in _REFUSED:
        return 0
    doubtful = Q(status=Delivery.Status.SENDING) | Q(status=Delivery.Status.QUEUED, in_doubt__gt=0)
    changes: dict = {"status": Delivery.Status.SENT, "sent_at": timezone.now(), "error": ""}
    if event.message_id:
        changes["message_id"] = event.message_id[:255]
    return rows.filter(doubtful).update(**changes)


def on_tracking(sender: type, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    if not event.recipient:
        return
    email = event.recipient.strip().lower()[:254]
    settle_in_doubt(event)
    detail = (event.description or event.mta_response or "")[:2000]
    rows = Delivery.objects.filter(message_id=event.message_id) if event.message_id else None
    if event.event_type == "delivered":
        bounces.delivered_to(email)
    elif event.event_type == "complained":
        bounces.suppress(email, Suppression.Reason.COMPLAINED, esp_name, detail)
        if rows is not None:
            rows.update(status=Delivery.Status.COMPLAINED)
    elif event.event_type in ("bounced", "deferred"):
        soft = bounces.provider_event_is_soft(event.event_type, event.esp_event, event.mta_response)
        if not soft:
            bounces.hard_bounce(email, esp_name, detail)
        if (not soft or bounces.soft_bounce(email, esp_name, detail)) and rows is not None:
            rows.update(status=Delivery.Status.BOUNCED)


def connect() -> None:
    tracking.connect(on_tracking, dispatch_uid="alerts.tracking")

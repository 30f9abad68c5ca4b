"""Providers' tracking webhooks (django-anymail) → bounces and complaints.

anymail verifies each provider's signature or basic auth and turns its
payload into ``AnymailTrackingEvent``s sent with the ``tracking`` signal.
What an event does to the address is :mod:`alerts.bounces`'s rule: a hard
bounce or a complaint suppresses it at once; a soft bounce (``deferred``, or
a transient ``bounced``) counts towards ``ALERTS_SOFT_BOUNCE_LIMIT``; a
``delivered`` event starts that count again.  The delivery the event is
about is marked when it was final.
"""

from __future__ import annotations

from anymail.signals import AnymailTrackingEvent, tracking

from alerts import bounces
from alerts.models import Delivery, Suppression


def on_tracking(sender: type, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    if not event.recipient:
        return
    email = event.recipient.strip().lower()[:254]
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

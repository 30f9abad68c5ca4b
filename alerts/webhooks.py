"""Providers' tracking webhooks (django-anymail) → the suppression list.

anymail verifies each provider's signature or basic auth and turns its
payload into ``AnymailTrackingEvent``s sent with the ``tracking`` signal.
A hard bounce or a complaint puts the address on the one suppression list
that every send respects, and marks the delivery the event is about.
"""

from __future__ import annotations

from anymail.signals import AnymailTrackingEvent, tracking

from alerts.models import Delivery, Suppression

#: anymail event type → (suppression reason, delivery status).
SUPPRESSING = {
    "bounced": (Suppression.Reason.BOUNCED, Delivery.Status.BOUNCED),
    "complained": (Suppression.Reason.COMPLAINED, Delivery.Status.COMPLAINED),
}


def on_tracking(sender: type, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    if event.event_type not in SUPPRESSING or not event.recipient:
        return
    reason, status = SUPPRESSING[event.event_type]
    email = event.recipient.strip().lower()[:254]
    Suppression.objects.get_or_create(
        email=email,
        defaults={
            "reason": reason,
            "source": esp_name[:100],
            "detail": (event.description or event.mta_response or "")[:2000],
        },
    )
    if event.message_id:
        Delivery.objects.filter(message_id=event.message_id).update(status=status)


def connect() -> None:
    tracking.connect(on_tracking, dispatch_uid="alerts.tracking")

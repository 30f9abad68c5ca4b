"""Where media lists plug into the apps below them (called from ``ready()``).

* The workflow's audit log: a release published or scheduled books its
  waiting media-list copies for its instant (a rescheduled one is booked
  again; the old booking finds it not public and sends nothing).
* django-anymail's ``tracking`` signal: providers' events move a copy to
  delivered, bounced, complained or unsubscribed (the suppression itself is
  the alerts' receiver's work, for every address alike).
* The alerts' sweep: the safety net for sends and dead workers.
* The release list: a "Send to media lists" action.
"""

from __future__ import annotations

from anymail.signals import AnymailTrackingEvent, tracking
from django.db.models.signals import post_save
from django.utils import timezone

from alerts import bounces, sweeps
from alerts.models import Suppression
from releases.models import AuditLogEntry

Action = AuditLogEntry.Action
BOOKS = {Action.PUBLISH, Action.SCHEDULE, Action.FORCE_PUBLISH}


def on_audit_entry(sender: type, instance: AuditLogEntry, created: bool, **kwargs) -> None:
    from medialists import plans
    from medialists.models import Recipient

    if not created or kwargs.get("raw") or instance.release_id is None:
        return
    if instance.action in BOOKS:
        waiting = Recipient.objects.filter(
            release_id=instance.release_id,
            status__in=[Recipient.Status.QUEUED, Recipient.Status.ADVANCE],
        )
        if waiting.filter(distribution__batch=None).exists():
            plans.book(instance.release)
        batches = waiting.exclude(distribution__batch=None).values_list(
            "distribution__batch", flat=True
        )
        for batch in set(batches):
            plans.book_batch(batch)


def link_subscriber(sender: type, instance, created: bool, **kwargs) -> None:
    """An alerts address that signs up later is linked to its media-list record."""
    from medialists.models import MediaPerson

    if created and not kwargs.get("raw"):
        MediaPerson.objects.filter(email=instance.email.lower(), subscriber=None).update(
            subscriber=instance
        )


def link_journalist(sender: type, instance, created: bool, **kwargs) -> None:
    """A journalist account made later is linked to the media-list record of its e-mail."""
    from medialists.models import MediaPerson

    email = getattr(instance.user, "email", "") if instance.user_id else ""
    if created and email and not kwargs.get("raw"):
        MediaPerson.objects.filter(email=email.lower(), journalist=None).update(journalist=instance)


def on_tracking(sender: type, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    from medialists.models import Recipient

    status = Recipient.Status
    rows = Recipient.objects.none()
    if event.message_id:
        rows = Recipient.objects.filter(message_id=event.message_id)
    metadata = event.metadata or {}
    if not rows.exists() and str(metadata.get("medialists_recipient", "")).isdigit():
        rows = Recipient.objects.filter(pk=int(metadata["medialists_recipient"]))
    if event.recipient:
        rows = rows.filter(email=event.recipient.strip().lower())
    if not rows.exists():
        return
    kind = event.event_type
    if kind == "delivered":
        rows.filter(status=status.SENT).update(
            status=status.DELIVERED, delivered_at=event.timestamp or timezone.now()
        )
    elif kind == "complained":
        rows.update(status=status.COMPLAINED)
    elif kind == "unsubscribed":
        for email in rows.values_list("email", flat=True):
            bounces.suppress(email, Suppression.Reason.MANUAL, esp_name, "unsubscribed")
        rows.update(status=status.UNSUBSCRIBED)
    elif kind == "bounced" and not bounces.provider_event_is_soft(
        kind, event.esp_event, event.mta_response
    ):
        rows.update(status=status.BOUNCED, error=(event.description or "")[:2000])


def send_action(modeladmin, request, queryset):
    """The release list's action: the send page for the (one) selected release."""
    from django.contrib import messages
    from django.http import HttpResponseRedirect
    from django.urls import reverse

    if queryset.count() != 1:
        messages.error(request, "Choose one release to send to media lists.")
        return None
    url = reverse("admin:medialists_distribution_send", args=[queryset.get().pk])
    return HttpResponseRedirect(url)


def send_bulletin_action(modeladmin, request, queryset):
    """The bulletin list's action: the send page for the (one) selected bulletin."""
    from django.contrib import messages
    from django.http import HttpResponseRedirect
    from django.urls import reverse

    if queryset.count() != 1:
        messages.error(request, "Choose one bulletin to send to media lists.")
        return None
    url = reverse("admin:medialists_distribution_send_bulletin", args=[queryset.get().pk])
    return HttpResponseRedirect(url)


def plug_release_admin() -> None:
    """Add "Send to media lists…" to the release and bulletin lists, for those who may send."""
    from bulletins.models import Bulletin
    from core.admin_actions import plug_action
    from releases.models import PressRelease

    for model, action in ((PressRelease, send_action), (Bulletin, send_bulletin_action)):
        plug_action(
            model,
            "send_to_media_lists",
            action,
            "Send to media lists…",
            "medialists.send_distribution",
        )


def connect() -> None:
    from alerts.models import Subscriber
    from journalists.models import Journalist
    from medialists import plans, tasks

    post_save.connect(on_audit_entry, sender=AuditLogEntry, dispatch_uid="medialists.audit")
    post_save.connect(link_subscriber, sender=Subscriber, dispatch_uid="medialists.subscriber")
    post_save.connect(link_journalist, sender=Journalist, dispatch_uid="medialists.journalist")
    tracking.connect(on_tracking, dispatch_uid="medialists.tracking")
    sweeps.register(
        "medialists",
        plans.sweep,
        repeatable=[tasks.send_release_copies, tasks.send_bulletin_copies],
    )
    plug_release_admin()

"""Staff side of the alerts: subscribers (export, erase), deliveries, the
suppression list, and per release a preview of its alert and a report."""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from alerts import bulletin_mail, outbox
from alerts import messages as mail
from alerts.models import (
    AlertRun,
    BulletinMailing,
    Delivery,
    StaffNotice,
    Subscriber,
    Subscription,
    Suppression,
)
from core.dates import house_datetime


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    fields = (
        "label",
        "frequency",
        "digest_hour",
        "paused",
        "created_at",
        "source_page",
        "confirmed_at",
        "confirmation",
    )
    readonly_fields = ("label", "created_at", "source_page", "confirmed_at", "confirmation")


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = (
        "email",
        "time_zone",
        "created_at",
        "confirmed_at",
        "subscription_count",
        "history",
    )
    search_fields = ("email",)
    list_filter = (("confirmed_at", admin.EmptyFieldListFilter),)
    readonly_fields = ("created_at", "confirmed_at")
    inlines = [SubscriptionInline]
    actions = ["export_data", "erase"]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).annotate(n=Count("subscriptions"))

    @admin.display(description="Subscriptions", ordering="n")
    def subscription_count(self, obj: Subscriber) -> int:
        return obj.n

    @admin.display(description="History")
    def history(self, obj: Subscriber) -> str:
        return format_html(
            '<a href="{}?subscriber={}">Outbox</a>', reverse("admin:alerts_outbox"), obj.pk
        )

    @admin.action(description="Export the selected subscribers' data (JSON)")
    def export_data(self, request: HttpRequest, queryset) -> HttpResponse:
        data = [
            {
                "email": s.email,
                "time_zone": s.time_zone,
                "created_at": s.created_at.isoformat(),
                "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
                "subscriptions": [
                    {
                        "list": sub.label,
                        "query": sub.query,
                        "frequency": sub.frequency,
                        "digest_hour": sub.digest_hour,
                        "paused": sub.paused,
                        "asked_at": sub.created_at.isoformat(),
                        "from_page": sub.source_page,
                        "confirmed_at": sub.confirmed_at.isoformat() if sub.confirmed_at else None,
                        "confirmation": sub.confirmation,
                    }
                    for sub in s.subscriptions.all()
                ],
                "deliveries": list(s.deliveries.values("release_id", "kind", "status", "sent_at")),
            }
            for s in queryset.prefetch_related("subscriptions")
        ]
        response = HttpResponse(
            json.dumps(data, indent=2, default=str), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="subscribers.json"'
        return response

    @admin.action(description="Erase the selected subscribers and all their data")
    def erase(self, request: HttpRequest, queryset) -> None:
        count = queryset.count()
        queryset.delete()  # subscriptions and deliveries go with them
        self.message_user(request, f"Erased {count} subscriber(s).", messages.SUCCESS)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: a delivery is a record of what the worker did.  The
    outbox (``outbox/``) is the staff's page for it."""

    list_display = ("release", "subscriber", "kind", "status", "attempts", "sent_at")
    list_filter = ("status", "kind")
    list_select_related = ("release", "subscriber")
    search_fields = ("subscriber__email", "release__title")
    raw_id_fields = ("release", "subscriber")
    change_list_template = "admin/alerts/delivery/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        own = [
            path(
                "outbox/",
                self.admin_site.admin_view(self.outbox_view),
                name="alerts_outbox",
            )
        ]
        return own + super().get_urls()

    def outbox_view(self, request: HttpRequest) -> HttpResponse:
        """Every delivery — sent, queued, failed, bounced… — filterable; with
        ``?subscriber=<id>``, that address's consent and history as well."""
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        box = outbox.read(request.GET)
        query = request.GET.copy()
        query.pop("page", None)
        without_status = query.copy()
        without_status.pop("status", None)
        return render(
            request,
            "admin/alerts/outbox.html",
            {
                **self.admin_site.each_context(request),
                "title": "Outbox",
                "opts": self.model._meta,
                "box": box,
                "kinds": Delivery.Kind.choices,
                "statuses": Delivery.Status.choices,
                "page_query": query.urlencode(),
                "status_query": without_status.urlencode(),
            },
        )


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ("email", "reason", "source", "created_at")
    list_filter = ("reason",)
    search_fields = ("email",)

    def save_model(self, request, obj, form, change) -> None:
        obj.email = obj.email.strip().lower()
        super().save_model(request, obj, form, change)


@admin.register(StaffNotice)
class StaffNoticeAdmin(admin.ModelAdmin):
    list_display = ("entry", "user", "status", "sent_at")
    list_filter = ("status",)
    list_select_related = ("entry", "user")


@admin.register(AlertRun)
class AlertRunAdmin(admin.ModelAdmin):
    """One row per release that had (or will have) alerts: its report."""

    list_display = ("release", "planned_for", "fanned_out_at", "finished_at", "links")
    list_select_related = ("release",)
    search_fields = ("release__title",)
    raw_id_fields = ("release",)

    @admin.display(description="Alert")
    def links(self, obj: AlertRun) -> str:
        return format_html(
            '<a href="{}">Preview</a> · <a href="{}">Report</a>',
            reverse("admin:alerts_preview", args=[obj.release_id]),
            reverse("admin:alerts_report", args=[obj.release_id]),
        )

    def get_urls(self):
        own = [
            path(
                "preview/<int:release_id>/",
                self.admin_site.admin_view(self.preview),
                name="alerts_preview",
            ),
            path(
                "report/<int:release_id>/",
                self.admin_site.admin_view(self.report),
                name="alerts_report",
            ),
        ]
        return own + super().get_urls()

    def preview(self, request: HttpRequest, release_id: int) -> HttpResponse:
        """The alert e-mail as a subscriber would get it (before it goes)."""
        if not request.user.has_perm("releases.view_pressrelease"):
            return HttpResponse(status=403)
        release = mail.load_release(release_id)
        if release is None:
            return HttpResponse("No such release.", status=404)
        sample = Subscriber(pk=0, email="subscriber@example.org", nonce="preview")
        message = mail.alert_message(release, sample, [])
        return render(
            request,
            "admin/alerts/preview.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Alert preview: {release.title}",
                "release": release,
                "subject": message.subject,
                "headers": message.extra_headers,
                "text": message.body,
                "html": message.alternatives[0][0],
            },
        )

    def report(self, request: HttpRequest, release_id: int) -> HttpResponse:
        """Queued, sent, failed, bounced, complained, suppressed — per release."""
        if not request.user.has_perm("alerts.view_delivery"):
            return HttpResponse(status=403)
        release = get_object_or_404(AlertRun, release_id=release_id).release
        counts = dict(
            Delivery.objects.filter(release_id=release_id)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        rows = [(label, counts.get(value, 0)) for value, label in Delivery.Status.choices]
        # Re-sent after a hand-over in doubt (same Message-ID): possible duplicates.
        doubtful = Delivery.objects.filter(release_id=release_id, in_doubt__gt=0).count()
        rows.append(("Possible duplicates (sent again after a hand-over in doubt)", doubtful))
        return render(
            request,
            "admin/alerts/report.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Alert report: {release.title}",
                "release": release,
                "rows": rows,
                "now": timezone.now(),
            },
        )


@admin.register(BulletinMailing)
class BulletinMailingAdmin(admin.ModelAdmin):
    """Ask for a bulletin to go as one e-mail; see when it went and to how many.

    Adding one is the whole staff action: the rules (hold the releases'
    own alerts, send when the last embargo lifts) are ``alerts.bulletin_mail``.
    """

    list_display = ["bulletin", "asked", "state", "copies"]
    autocomplete_fields = ["bulletin"]
    fields = ["bulletin"]

    @admin.display(description="Asked")
    def asked(self, obj: BulletinMailing) -> str:
        who = obj.created_by.get_username() if obj.created_by else "—"
        return f"{house_datetime(obj.created_at)} by {who}"

    @admin.display(description="State")
    def state(self, obj: BulletinMailing) -> str:
        if obj.sent_at:
            return f"Sent {house_datetime(obj.sent_at)}"
        if bulletin_mail.is_complete(obj):
            return "Going now"
        return "Waiting for its releases' embargoes (their own alerts are held back)"

    @admin.display(description="Copies sent")
    def copies(self, obj: BulletinMailing) -> int:
        return (
            Delivery.objects.filter(
                kind=Delivery.Kind.BULLETIN,
                status=Delivery.Status.SENT,
                digest_key__startswith=f"bulletin:{obj.pk}:",
            )
            .values("subscriber_id")
            .distinct()
            .count()
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # asked once; delete it to stop it while it waits

    def save_model(self, request: HttpRequest, obj: BulletinMailing, form, change) -> None:
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
        from alerts.tasks import send_bulletin

        if bulletin_mail.is_complete(obj):
            transaction.on_commit(lambda: send_bulletin.enqueue(obj.pk))
            messages.info(request, "Its releases are public: it is going out now.")
        else:
            messages.info(
                request,
                "It will go when the last of its releases is public; until then their "
                "own alerts are held back.",
            )

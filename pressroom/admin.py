"""Staff's side of the press room: advance access per release, and who read what.

Advance access is set on a page of its own (:class:`AdvanceAccessAdmin`),
open only to holders of ``pressroom.grant_advance_access`` (Publisher and
Administrator, ``releases.roles``): others see it read-only, and a POST from
them is refused by the admin's permission checks (403).  The release's own
form shows a panel (:class:`PressroomPanel`, attached in
``PressroomConfig.ready`` — ``releases`` may not import this app) with the
current choice ("Advance access for approved journalists from …"), a link to
change it, and the latest lines of the access log.  Every change writes an
``AuditLogEntry`` on the release.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from core.dates import house_datetime
from pressroom import tasks
from pressroom.models import AccessLogEntry, AdvanceAccess
from releases.models import AuditLogEntry, PressRelease

GRANT = "pressroom.grant_advance_access"


def may_grant(user: Any) -> bool:
    return bool(getattr(user, "is_active", False) and user.has_perm(GRANT))


def describe(access: AdvanceAccess | None) -> str:
    """The choice as staff read it on the release ("… from 17 Oct 2023, 11:00 PKT")."""
    if access is None or not access.enabled or access.opens_at is None:
        return "No advance access: public at the embargo instant only."
    text = f"Advance access for approved journalists from {house_datetime(access.opens_at)}"
    limits = []
    beats = [tag.name for tag in access.beats.all()]
    if beats:
        limits.append("beats " + ", ".join(beats))
    if access.outlet_names:
        limits.append("outlets " + ", ".join(access.outlet_names))
    named = [j.name for j in access.journalists.all()]
    if named:
        limits.append("named: " + ", ".join(named))
    if limits:
        text += " (only " + "; ".join(limits) + ")"
    text += "."
    release = access.release
    if release.publish_at is None or access.for_publish_at != release.publish_at:
        text += (
            " Closed for now: the release was rescheduled or unscheduled after advance access"
            " was set; save advance access again to open it for the new instant."
        )
    return text


class AdvanceAccessForm(forms.ModelForm):
    class Meta:
        model = AdvanceAccess
        fields = ["release", "enabled", "opens_at", "beats", "outlets", "journalists"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "release" in self.fields:
            self.fields["release"].queryset = PressRelease.objects.filter(
                advance_access__isnull=True
            ).exclude(status__in=[PressRelease.Status.WITHDRAWN, PressRelease.Status.REMOVED])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        release = data.get("release") or getattr(self.instance, "release", None)
        if not data.get("enabled") or release is None:
            return data
        opens_at = data.get("opens_at")
        if opens_at is None:
            self.add_error("opens_at", "Say from when approved journalists may read it.")
        elif release.publish_at is None:
            self.add_error(
                "enabled",
                "Schedule the release first: advance access is decided for its embargo instant.",
            )
        elif opens_at >= release.publish_at:
            self.add_error(
                "opens_at",
                f"Must be before the embargo instant ({house_datetime(release.publish_at)}).",
            )
        return data


@admin.register(AdvanceAccess)
class AdvanceAccessAdmin(admin.ModelAdmin):
    form = AdvanceAccessForm
    list_display = ["release", "enabled", "opens_at_column", "changed_by", "changed_at"]
    list_select_related = ["release", "changed_by"]
    search_fields = ["release__title"]
    filter_horizontal = ["beats", "journalists"]

    @admin.display(description="Opens at", ordering="opens_at")
    def opens_at_column(self, obj: AdvanceAccess) -> str:
        return house_datetime(obj.opens_at)

    @admin.display(description="Now")
    def summary(self, obj: AdvanceAccess) -> str:
        return describe(obj)

    def get_readonly_fields(self, request: HttpRequest, obj: AdvanceAccess | None = None) -> list:
        readonly = ["summary"] if obj is not None else []
        if obj is not None:
            readonly.append("release")
        return readonly

    def get_fields(self, request: HttpRequest, obj: AdvanceAccess | None = None) -> list:
        fields = ["release", "enabled", "opens_at", "beats", "outlets", "journalists"]
        return ["summary", *fields] if obj is not None else fields

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        release = PressRelease.objects.filter(pk=request.GET.get("release") or 0).first()
        if release is not None and release.publish_at is not None:
            initial["opens_at"] = release.publish_at - datetime.timedelta(hours=24)
            initial["enabled"] = True
        return initial

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_grant(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_grant(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # switched off, not deleted: the audit trail stays whole

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_grant(request.user) or request.user.has_perm("releases.view_pressrelease")

    def save_model(self, request: HttpRequest, obj: AdvanceAccess, form: Any, change: bool) -> None:
        obj.for_publish_at = obj.release.publish_at
        obj.changed_by = request.user
        obj.changed_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        access = form.instance
        release = access.release
        AuditLogEntry.objects.create(
            release=release,
            release_title=release.title,
            action=AuditLogEntry.Action.EDIT,
            user=request.user,
            from_status=release.status,
            to_status=release.status,
            publish_at=release.publish_at,
            note=describe(access),
        )
        tasks.plan(access)

    def response_add(self, request: HttpRequest, obj: AdvanceAccess, post_url_continue=None):
        return self._back_to_release(request, obj) or super().response_add(request, obj)

    def response_change(self, request: HttpRequest, obj: AdvanceAccess):
        return self._back_to_release(request, obj) or super().response_change(request, obj)

    def _back_to_release(self, request: HttpRequest, obj: AdvanceAccess):
        if "_continue" in request.POST or "_addanother" in request.POST:
            return None
        from django.http import HttpResponseRedirect

        return HttpResponseRedirect(
            reverse("admin:releases_pressrelease_change", args=[obj.release_id])
        )


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """The access log, read-only: a record for breach inquiries, not a document."""

    list_display = ["at_column", "journalist_name", "journalist_email", "item", "release_title"]
    list_filter = ["item"]
    search_fields = ["journalist_name", "journalist_email", "release_title"]

    @admin.display(description="When", ordering="at")
    def at_column(self, obj: AccessLogEntry) -> str:
        return house_datetime(obj.at)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        release = request.GET.get("release__id__exact")
        return queryset.filter(release_id=release) if release else queryset

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_grant(request.user) or super().has_view_permission(request, obj)


class PressroomPanel(admin.StackedInline):
    """A read-only panel on the release's form: the advance-access choice, a
    link to change it (for those who may), and the latest access-log lines.

    It edits nothing (its formset is always empty, and it is left out of a
    POST), so posting the release form can never change advance access,
    whoever posts it.
    """

    model = AdvanceAccess
    template = "admin/pressroom/release_panel.html"
    extra = 0
    max_num = 0
    can_delete = False
    fields: list[str] = []
    verbose_name_plural = "Press room: advance access for journalists"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return AdvanceAccess.objects.none()

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Shown on a GET only: the panel edits nothing, so it takes no part in
        # saving the release (a POST then needs no formset of it, and clients
        # that post the release form as it was before this app keep working).
        if request.method != "GET":
            return False
        return obj is not None and request.user.has_perm("releases.view_pressrelease")


def panel_context(release: PressRelease, user: Any) -> dict[str, Any]:
    """What the release form's panel shows (``pressroom_admin`` template tag)."""
    access = (
        AdvanceAccess.objects.filter(release=release)
        .select_related("release")
        .prefetch_related("beats", "journalists")
        .first()
    )
    if may_grant(user):
        if access is None:
            url = reverse("admin:pressroom_advanceaccess_add") + f"?release={release.pk}"
        else:
            url = reverse("admin:pressroom_advanceaccess_change", args=[access.pk])
    else:
        url = ""
    show_log = may_grant(user) or user.has_perm("pressroom.view_accesslogentry")
    log = list(AccessLogEntry.objects.filter(release=release)[:20]) if show_log else []
    log_url = (
        reverse("admin:pressroom_accesslogentry_changelist") + f"?release__id__exact={release.pk}"
        if show_log
        else ""
    )
    return {
        "summary": describe(access),
        "change_url": url,
        "log": log,
        "log_url": log_url,
        "show_log": show_log,
    }


def attach_to_release_admin() -> None:
    """Append :class:`PressroomPanel` to the registered release admin (once)."""
    model_admin = admin.site._registry.get(PressRelease)
    if model_admin is None or PressroomPanel in model_admin.inlines:
        return
    model_admin.inlines = [*model_admin.inlines, PressroomPanel]

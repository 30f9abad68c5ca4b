"""The audit log and the preview links, site-wide.

The log is read-only here (it is a record, not a document); its filter on
``needs_second_look`` is where an administrator finds the force-publishes
to look at.  Preview links can only be revoked, through the workflow, so
the revocation is logged on the release too.

:class:`TechnicalTable` keeps the technical tables (preview links here,
pictures and documents in ``media.py``, login attempts, tags and the task
queue in ``desk/admin.py``) off the admin's home page for everyone but
superusers and administrators: a writer's home shows the work, not the
machinery.  The pages themselves still answer those with the permission
(a release's form links to its preview links and pictures).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from core.admin_lists import OutOfRangeDatesRefused
from releases import workflow
from releases.models import AuditLogEntry, PreviewLink
from releases.roles import ADMINISTRATOR


def sees_technical_tables(user: object) -> bool:
    """Superusers and members of the Administrator role; remembered on the user for the request."""
    if not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    cached = getattr(user, "_sees_technical_tables", None)
    if cached is None:
        cached = user.groups.filter(name=ADMINISTRATOR).exists()  # type: ignore[attr-defined]
        user._sees_technical_tables = cached  # type: ignore[attr-defined]
    return cached


class TechnicalTable:
    """A ModelAdmin mix-in: listed on the admin's home only for administrators.

    ``has_module_permission`` and ``get_model_perms`` are what the index and
    app pages ask; the views keep their own permission checks.
    """

    def has_module_permission(self, request: HttpRequest) -> bool:
        return sees_technical_tables(request.user) and super().has_module_permission(request)  # type: ignore[misc]

    def get_model_perms(self, request: HttpRequest) -> dict[str, bool]:
        if not sees_technical_tables(request.user):
            return {}
        return super().get_model_perms(request)  # type: ignore[misc]


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(OutOfRangeDatesRefused, admin.ModelAdmin):
    """Read-only: the log is a record, not a document."""

    list_display = [
        "created_at",
        "action",
        "release_link",
        "user",
        "transition",
        "needs_second_look",
        "checked_by",
        "short_note",
    ]
    list_filter = ["needs_second_look", "action", ("user", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["release_title", "note", "user__username"]
    date_hierarchy = "created_at"
    list_select_related = ["release", "user", "checked_by"]

    @admin.display(description="Release")
    def release_link(self, obj: AuditLogEntry) -> str:
        if obj.release_id:
            url = reverse("admin:releases_pressrelease_change", args=[obj.release_id])
            return format_html('<a href="{}">{}</a>', url, obj.release_title)
        return f"{obj.release_title} (deleted)"

    @admin.display(description="From → to")
    def transition(self, obj: AuditLogEntry) -> str:
        if obj.from_status == obj.to_status:
            return obj.get_to_status_display() or "—"
        return f"{obj.get_from_status_display() or '—'} → {obj.get_to_status_display()}"

    @admin.display(description="Note")
    def short_note(self, obj: AuditLogEntry) -> str:
        return obj.note if len(obj.note) <= 80 else obj.note[:79] + "…"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditLogEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditLogEntry | None = None) -> bool:
        return False


_STATE_LABELS = {
    workflow.PreviewState.SHOW: "Active",
    workflow.PreviewState.PUBLIC: "Active: redirects to the public page",
    workflow.PreviewState.REVOKED: "Revoked",
    workflow.PreviewState.EXPIRED: "Expired",
    workflow.PreviewState.WITHDRAWN: "Dead: the release was withdrawn",
    workflow.PreviewState.REMOVED: "Dead: the release was removed",
}


@admin.register(PreviewLink)
class PreviewLinkAdmin(TechnicalTable, admin.ModelAdmin):
    list_display = ["release", "created_by", "created_at", "expires_at", "state"]
    list_filter = [("created_by", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["release", "created_by"]
    readonly_fields = [
        "release",
        "token",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "revoked_by",
        "last_used_at",
    ]
    actions = ["revoke"]

    @admin.display(description="State")
    def state(self, obj: PreviewLink) -> str:
        """What the link does now, as the workflow decides it (not just its own dates)."""
        return _STATE_LABELS[workflow.preview_link_state(obj)]

    @admin.action(description="Revoke selected preview links")
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Revoke each link the user may revoke; say which were refused and why."""
        done = 0
        for link in queryset.select_related("release"):
            try:
                workflow.revoke_preview_link(link, request.user)
            except PermissionDenied as exc:
                messages.error(request, f"“{link.release}”: {exc}")
            else:
                done += 1
        if done:
            messages.success(request, f"Revoked {done} preview link(s).")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PreviewLink | None = None) -> bool:
        return False

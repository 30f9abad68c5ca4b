"""The press-release admin: the staff's main tool.

Everything that changes a release's *state* goes through
``releases.workflow``: the buttons on the change form are small POST views
that call it (``workflow_views.py``), the form cannot edit ``status`` or
``publish_at`` (``forms.py``), and ``has_change_permission`` asks
``workflow.can_edit``.  This module is the list, the permissions and the
content form; the workflow panel, history, compare, restore, recovery and
preview links come from :class:`~releases.admin.workflow_views.WorkflowAdminMixin`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from reversion.admin import VersionAdmin

from core.admin_lists import OutOfRangeDatesRefused
from releases import workflow
from releases.admin.forms import PressReleaseForm, conflict_rows
from releases.admin.helpers import state_label
from releases.admin.media import ReleaseAttachmentInline, ReleaseImageInline
from releases.admin.workflow_views import WorkflowAdminMixin
from releases.models import PressRelease, ReleaseContact, ReleaseOrganisation

Status = PressRelease.Status


# ---------------------------------------------------------------------------
# Inlines
# ---------------------------------------------------------------------------


class _WorkflowInlinePermissions:
    """Link rows are part of the release's content: editable iff the release is."""

    def has_add_permission(self, request: HttpRequest, obj: PressRelease | None = None) -> bool:
        return workflow.can_edit(request.user, obj)

    def has_change_permission(self, request: HttpRequest, obj: PressRelease | None = None) -> bool:
        return workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: PressRelease | None = None) -> bool:
        return workflow.can_edit(request.user, obj)

    def has_view_permission(self, request: HttpRequest, obj: PressRelease | None = None) -> bool:
        return workflow.can_preview(request.user)


class ReleaseOrganisationInline(_WorkflowInlinePermissions, admin.TabularInline):
    model = ReleaseOrganisation
    fields = ["organisation", "order"]
    autocomplete_fields = ["organisation"]
    extra = 0
    min_num = 1
    verbose_name = "issuing organisation"
    verbose_name_plural = "Issuing organisations (the first, lowest order, leads)"


class ReleaseContactInline(_WorkflowInlinePermissions, admin.TabularInline):
    model = ReleaseContact
    fields = ["contact", "role", "order"]
    autocomplete_fields = ["contact"]
    extra = 0


# ---------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------


class WorkflowStatusFilter(admin.SimpleListFilter):
    """Status as staff think of it: "scheduled" and "live" are different things."""

    title = "status"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [
            (Status.DRAFT, "Draft"),
            (Status.IN_REVIEW, "In review"),
            (Status.APPROVED, "Approved"),
            ("scheduled", "Scheduled"),
            ("live", "Published (live)"),
            (Status.WITHDRAWN, "Withdrawn"),
            (Status.REMOVED, "Removed"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value == "scheduled":
            return queryset.scheduled()
        if value == "live":
            return queryset.published()
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset


# ---------------------------------------------------------------------------
# The release admin
# ---------------------------------------------------------------------------


@admin.register(PressRelease)
class PressReleaseAdmin(OutOfRangeDatesRefused, WorkflowAdminMixin, VersionAdmin):
    form = PressReleaseForm
    change_form_template = "admin/releases/pressrelease/change_form.html"
    # The change form links to the public page itself, only when there is one;
    # Django's own link would lead a draft or scheduled release to a 404.
    view_on_site = False
    list_display = [
        "title",
        "state_column",
        "lead_organisation",
        "dateline_column",
        "publish_at",
        "modified_at",
    ]
    list_display_links = ["title"]
    list_filter = [
        WorkflowStatusFilter,
        ("organisations", admin.RelatedOnlyFieldListFilter),
        "tags",
        ("publish_at", admin.DateFieldListFilter),
    ]
    search_fields = [
        "title",
        "summary",
        "slug",
        "dateline_place",
        "organisations__name",
        "organisations__acronym",
    ]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["partnerships"]
    inlines = [
        ReleaseOrganisationInline,
        ReleaseContactInline,
        ReleaseImageInline,
        ReleaseAttachmentInline,
    ]
    list_per_page = 50
    history_latest_first = True

    # -- list --------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "issuers",
                    queryset=ReleaseOrganisation.objects.select_related("organisation").order_by(
                        "order", "id"
                    ),
                )
            )
        )

    @admin.display(description="Status", ordering="status")
    def state_column(self, obj: PressRelease) -> str:
        return state_label(obj)

    @admin.display(description="Lead organisation")
    def lead_organisation(self, obj: PressRelease) -> str:
        lead = obj.lead_issuer
        return lead.short_name if lead else "—"

    @admin.display(description="Dateline", ordering="dateline_date")
    def dateline_column(self, obj: PressRelease) -> str:
        return obj.dateline or "—"

    # -- permissions: all asked of the workflow ----------------------------

    def has_change_permission(self, request: HttpRequest, obj: PressRelease | None = None) -> bool:
        if obj is None:
            return request.user.has_perm(workflow.PERM_CHANGE)
        return workflow.can_edit(request.user, obj)

    def has_view_permission(self, request: HttpRequest, obj: PressRelease | None = None) -> bool:
        return workflow.can_preview(request.user)

    # -- form --------------------------------------------------------------

    def get_fieldsets(self, request: HttpRequest, obj: PressRelease | None = None) -> list:
        fieldsets: list = [
            (None, {"fields": ["title", "slug", "summary", "lock_version_token"]}),
            ("Dateline", {"fields": [("dateline_place", "dateline_date")]}),
            (None, {"fields": ["body"]}),
            ("Topics and partnerships", {"fields": ["tags", "partnerships"]}),
        ]
        if (
            obj is not None
            and workflow.needs_change_note(obj)
            and workflow.can_edit(request.user, obj)
        ):
            fieldsets.append(
                (
                    "This release is public: what kind of change is this?",
                    {"fields": ["change_kind", "change_note"]},
                )
            )
        return fieldsets

    def get_form(self, request: HttpRequest, obj: PressRelease | None = None, **kwargs: Any):
        form = super().get_form(request, obj, **kwargs)
        if getattr(request, "_newsroom_recovering", False):
            form = type(form.__name__, (form,), {"skip_lock_check": True})
        return form

    def save_model(
        self, request: HttpRequest, obj: PressRelease, form: forms.Form, change: bool
    ) -> None:
        if not change:
            obj.created_by = request.user
            obj.status = Status.DRAFT
            obj.publish_at = None
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        if getattr(request, "_newsroom_recovering", False):
            workflow.after_recover(obj, request.user)
            messages.warning(
                request, "Recovered as a draft: submit it for review to publish it again."
            )
            return
        major = form.cleaned_data.get("change_kind") == "major"
        workflow.record_edit(
            obj,
            request.user,
            created=not change,
            major=major,
            change_note=form.cleaned_data.get("change_note", ""),
        )

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ):
        form = context.get("adminform").form if context.get("adminform") else None
        conflict = getattr(form, "conflict", None)
        if conflict is not None:
            context["conflict"] = conflict
            context["conflict_rows"] = conflict_rows(form, conflict)
        return super().render_change_form(request, context, *args, **kwargs)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ):
        extra_context = extra_context or {}
        release = self.get_object(request, unquote(object_id))
        if release is not None:
            extra_context.update(self.workflow_context(request, release))
        return super().change_view(request, object_id, form_url, extra_context)

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
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from reversion.admin import VersionAdmin

from core.admin_lists import OutOfRangeDatesRefused
from core.dates import house_date, newsroom_tz
from core.richtext import sanitize_html
from releases import workflow
from releases.admin.changes import content_changes, describe_save, stored_values
from releases.admin.forms import PressReleaseForm, conflict_rows
from releases.admin.helpers import WorkflowInlinePermissions, format_instant, state_label
from releases.admin.media import ReleaseAttachmentInline, ReleaseImageInline
from releases.admin.translations import TranslationAdminMixin
from releases.admin.workflow_views import WorkflowAdminMixin
from releases.models import (
    PressRelease,
    ReleaseAttachment,
    ReleaseContact,
    ReleaseImage,
    ReleaseOrganisation,
)
from releases.models.release import issuers_prefetch
from releases.workflow import translations

Status = PressRelease.Status


# ---------------------------------------------------------------------------
# Inlines
# ---------------------------------------------------------------------------


class ReleaseOrganisationInline(WorkflowInlinePermissions, admin.TabularInline):
    model = ReleaseOrganisation
    fields = ["organisation", "order"]
    autocomplete_fields = ["organisation"]
    extra = 0
    min_num = 1
    verbose_name = "issuing organisation"
    verbose_name_plural = "Issuing organisations (the first, lowest order, leads)"


class ReleaseContactInline(WorkflowInlinePermissions, admin.TabularInline):
    model = ReleaseContact
    fields = ["contact", "role", "order"]
    autocomplete_fields = ["contact"]
    extra = 0
    # Adds "+ to add" or "Request a new contact" under the rows (contacts.requests).
    template = "admin/contacts/release_contacts_inline.html"


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
class PressReleaseAdmin(
    OutOfRangeDatesRefused, TranslationAdminMixin, WorkflowAdminMixin, VersionAdmin
):
    form = PressReleaseForm
    change_form_template = "admin/releases/pressrelease/change_form.html"
    change_list_template = "admin/releases/pressrelease/change_list.html"
    # The change form links to the public page itself, only when there is one;
    # Django's own link would lead a draft or scheduled release to a 404.
    view_on_site = False
    # Four columns at 1280 px beside the filter panel, so that a headline
    # reads on one or two lines: the dateline is on the release itself, and
    # the one date shown is the one that matters for its state.
    list_display = [
        "title",
        "state_column",
        "lead_organisation",
        "dates_column",
    ]
    list_display_links = ["title"]
    list_filter = [
        WorkflowStatusFilter,
        ("organisations", admin.RelatedOnlyFieldListFilter),
        "tags",
        ("publish_at", admin.DateFieldListFilter),
        "language",
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

    class Media:
        # The workflow panel's buttons, the writing area, the list's widths,
        # and the warning before leaving unsaved changes (static: the CSP
        # allows no inline script).
        css = {"all": ["admin/newsroom-release-form.css"]}
        js = ["admin/newsroom-release-form.js"]

    # -- list --------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related(issuers_prefetch(parents=False))

    @admin.display(description="Status", ordering="status")
    def state_column(self, obj: PressRelease) -> str:
        return state_label(obj)

    @admin.display(description="Lead organisation")
    def lead_organisation(self, obj: PressRelease) -> str:
        lead = obj.lead_issuer
        return lead.short_name if lead else "—"

    @admin.display(description="Published / last saved", ordering="-modified_at")
    def dates_column(self, obj: PressRelease) -> str:
        """The public date once there is one (a scheduled release's state says its
        embargo), otherwise when it was last saved; short, so titles keep the width."""
        public = obj.status in (Status.PUBLISHED, Status.WITHDRAWN) and not obj.is_scheduled
        if obj.publish_at and public:
            return house_date(timezone.localtime(obj.publish_at, newsroom_tz()).date())
        saved = timezone.localtime(obj.modified_at, newsroom_tz())
        return f"saved {house_date(saved.date())}"

    # -- the read-only view (no change permission): text as readers see it --

    @admin.display(description="Body")
    def body_rendered(self, obj: PressRelease) -> str:
        """The body rendered (sanitised again on the way out), not its HTML source."""
        return format_html('<div class="wf-rendered">{}</div>', mark_safe(sanitize_html(obj.body)))

    @admin.display(description="Topics")
    def tags_list(self, obj: PressRelease) -> str:
        names = sorted(tag.name for tag in obj.tags.all())
        if not names:
            return "—"
        items = format_html_join("", "<li>{}</li>", ((name,) for name in names))
        return format_html('<ul class="wf-tags">{}</ul>', items)

    # -- permissions: all asked of the workflow ----------------------------

    def has_change_permission(self, request: HttpRequest, obj: PressRelease | None = None) -> bool:
        if obj is None:
            return request.user.has_perm(workflow.PERM_CHANGE)
        return workflow.can_edit(request.user, obj)

    def has_view_permission(self, request: HttpRequest, obj: PressRelease | None = None) -> bool:
        return workflow.can_preview(request.user)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple:
        """A release's pictures and documents go with it.

        Whoever may delete the release may delete its files with it; the
        stand-alone picture and document pages refuse deleting them one by
        one, which would otherwise make the release itself undeletable.
        """
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        own = {str(model._meta.verbose_name) for model in (ReleaseImage, ReleaseAttachment)}
        return deleted, counts, {p for p in perms_needed if str(p) not in own}, protected

    # -- form --------------------------------------------------------------

    def get_fieldsets(self, request: HttpRequest, obj: PressRelease | None = None) -> list:
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only: the body as text, the topics as tags (Django would
            # print the HTML source and a quoted string).
            return [
                (None, {"fields": ["title", "slug", "summary"]}),
                ("Dateline", {"fields": [("dateline_place", "dateline_date")]}),
                (None, {"fields": ["body_rendered"]}),
                ("Topics and partnerships", {"fields": ["tags_list", "partnerships"]}),
            ]
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
        if obj is not None and workflow.can_edit(request.user, obj):
            stale = translations.staleness(obj)
            if stale is not None:
                fieldsets.append(
                    (
                        "This translation is out of date",
                        {"fields": ["translation_up_to_date"]},
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
        # The text as stored before this save, to tell afterwards what changed.
        request._newsroom_before = stored_values(obj) if change else None  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(
        self, request: HttpRequest, form: forms.Form, formsets: list, change: bool
    ) -> None:
        """After the row and its inlines are saved, tell the workflow what changed.

        The workflow writes the audit entry (naming each picture and
        document), adds the public change note of a major change, and sends
        an approved or scheduled release back for review if its text or
        files changed; the person saving is told when that happens.
        """
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if change and form.cleaned_data.get("translation_up_to_date"):
            self.mark_translation_up_to_date(request, obj)
        if getattr(request, "_newsroom_recovering", False):
            missing = getattr(request, "_newsroom_missing_files", ())
            workflow.after_recover(obj, request.user, missing=missing)
            messages.warning(
                request, "Recovered as a draft: submit it for review to publish it again."
            )
            return
        changes = content_changes(obj, getattr(request, "_newsroom_before", None), form, formsets)
        request._newsroom_changes = changes  # type: ignore[attr-defined]
        request._newsroom_changed = not changes.empty  # type: ignore[attr-defined]
        if change and changes.empty and request.POST.get("_transition"):
            # A workflow button pressed with nothing edited: the transition is
            # the only thing that happened, and the audit log says just that.
            return
        status, embargo = obj.status, obj.publish_at if obj.is_scheduled else None
        workflow.record_edit(
            obj,
            request.user,
            created=not change,
            major=form.cleaned_data.get("change_kind") == "major",
            change_note=form.cleaned_data.get("change_note", ""),
            changes=changes,
        )
        if obj.status != status:
            message = (
                f"Your changes sent “{obj.title}” back for review: it was "
                f"{'scheduled' if embargo else 'approved'}, and changed text or files need "
                "a second look before it can be published."
            )
            if embargo:
                message += (
                    f" The embargo ({format_instant(embargo)}) was cleared: it will not go "
                    "out until it is approved and scheduled again."
                )
            messages.warning(request, message)

    def construct_change_message(
        self, request: HttpRequest, form: forms.Form, formsets: list, add: bool = False
    ) -> str:
        """The history line of a save, in plain words ("Changed the summary; …").

        Django's own ("Changed Summary and Body.") names form labels; this
        says what the workflow saw change, and whether it was a major change.
        It becomes the revision's comment on the history page.
        """
        if add:
            return "Created the release."
        changes = getattr(request, "_newsroom_changes", None)
        if changes is None:
            return super().construct_change_message(request, form, formsets, add)
        return describe_save(changes, form.cleaned_data)

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ):
        form = context.get("adminform").form if context.get("adminform") else None
        pressed = request.POST.get("_transition") if request.method == "POST" else None
        if pressed in workflow.TRANSITIONS and form is not None:
            # The form came back with errors: say that the button did nothing yet.
            messages.error(
                request,
                f"“{workflow.TRANSITIONS[pressed].label}” was not done: nothing was saved and "
                "the status did not change. Correct the form below, then press it again.",
            )
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
            extra_context.update(self.translation_context(request, release))
        return super().change_view(request, object_id, form_url, extra_context)

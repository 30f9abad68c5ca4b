"""The press-release admin: the staff's main tool.

Everything that changes a release's *state* goes through
``releases/workflow.py``: the buttons on the change form are small POST
views that call it, the form cannot edit ``status`` or ``publish_at``, and
``has_change_permission`` asks ``workflow.can_edit``.  The admin adds what
staff need around that: a status and embargo panel (newsroom time and UTC),
a history with a field-by-field comparison of any two revisions, restore,
recovery of deleted releases (django-reversion), shareable preview links,
and a refusal — with both versions side by side — when two people edit the
same release at once.
"""

from __future__ import annotations

import datetime
import difflib
import re
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from reversion.admin import VersionAdmin
from reversion.models import Version

from contacts.models import MediaContact, Organisation, Partnership
from releases import workflow
from releases.admin_media import ReleaseAttachmentInline, ReleaseImageInline
from releases.models import (
    AuditLogEntry,
    PressRelease,
    PreviewLink,
    ReleaseContact,
    ReleaseOrganisation,
)
from releases.views.previews import render_preview

Status = PressRelease.Status


def newsroom_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def format_instant(value: datetime.datetime | None) -> str:
    """ "18 Oct 2023 09:00 PKT (04:00 UTC)": embargoes are agreed across time zones."""
    if value is None:
        return "—"
    local = timezone.localtime(value, newsroom_tz())
    utc = timezone.localtime(value, datetime.UTC)
    return f"{local:%d %b %Y %H:%M} {local.tzname()} ({utc:%d %b %Y %H:%M} UTC)"


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
# The form: content only, plus the lock version and the change-note question
# ---------------------------------------------------------------------------

CONFLICT_FIELDS = ("title", "slug", "summary", "dateline_place", "dateline_date", "body")


class PressReleaseForm(forms.ModelForm):
    lock_version_token = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_kind = forms.ChoiceField(
        label="Is this a major change?",
        choices=[
            ("minor", "No — a minor fix (typo, formatting): nothing is shown to readers"),
            ("major", "Yes — readers need to know: a public change note is added"),
        ],
        widget=forms.RadioSelect,
        required=False,
        initial="minor",
    )
    change_note = forms.CharField(
        label="Change note (public)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Plain words, e.g. “Corrected the number of districts.”",
    )

    #: Set by the admin for the reversion recover view, where the row is being re-created.
    skip_lock_check = False

    class Meta:
        model = PressRelease
        fields = [
            "title",
            "slug",
            "summary",
            "dateline_place",
            "dateline_date",
            "body",
            "tags",
            "partnerships",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conflict: PressRelease | None = None
        if self.instance.pk:
            self.fields["lock_version_token"].initial = self.instance.lock_version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._check_lock()
        major_without_note = (
            cleaned.get("change_kind") == "major" and not (cleaned.get("change_note") or "").strip()
        )
        if major_without_note and self.instance.pk and workflow.needs_change_note(self.instance):
            self.add_error(
                "change_note", "A major change needs a public change note saying what changed."
            )
        return cleaned

    def _check_lock(self) -> None:
        """Refuse a save based on a stale copy (optimistic locking, row held until commit).

        The admin's change view runs in a transaction, so the
        ``select_for_update`` here keeps the row until this save commits.
        """
        if not self.instance.pk or self.skip_lock_check:
            return
        current = (
            PressRelease.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("lock_version", flat=True)
            .first()
        )
        if current is None:
            return
        submitted = self.cleaned_data.get("lock_version_token")
        if submitted == current:
            self.instance.lock_version = current
            return
        self.conflict = PressRelease.objects.get(pk=self.instance.pk)
        who = self.conflict.updated_by
        when = timezone.localtime(self.conflict.modified_at, newsroom_tz())
        # The next save is a deliberate choice, made with both versions in view.
        data = self.data.copy()
        data["lock_version_token"] = str(current)
        self.data = data
        raise forms.ValidationError(
            f"Someone else{f' ({who})' if who else ''} saved this release at "
            f"{when:%H:%M:%S %Z} after you opened it. Nothing was saved. Their version and "
            "yours are shown below; copy what you need, or save again to replace theirs "
            "with yours.",
            code="stale",
        )


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
# Compare helpers
# ---------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    """Words, whitespace and HTML tags as separate tokens (so ``<p>Three`` diffs as "Three")."""
    return [t for t in re.split(r"(\s+|<[^>]*>)", text) if t]


def inline_diff(old: str, new: str) -> SafeString:
    """Word-level diff as HTML (``<del>``/``<ins>``), every piece escaped."""
    a, b = _tokens(str(old)), _tokens(str(new))
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # built from escaped parts only


def _snapshot(version: Version) -> dict[str, str]:
    """A revision's values as readable strings, including its link rows."""
    data = version.field_dict
    siblings = list(version.revision.version_set.all())
    orgs = {
        o.pk: str(o)
        for o in Organisation.objects.filter(
            pk__in=[
                v.field_dict.get("organisation_id")
                for v in siblings
                if v._model is ReleaseOrganisation
            ]
        )
    }
    people = {
        c.pk: str(c)
        for c in MediaContact.objects.select_related("organisation").filter(
            pk__in=[v.field_dict.get("contact_id") for v in siblings if v._model is ReleaseContact]
        )
    }
    issuers = sorted(
        (v.field_dict for v in siblings if v._model is ReleaseOrganisation),
        key=lambda d: (d["order"], d["id"]),
    )
    contacts = sorted(
        (v.field_dict for v in siblings if v._model is ReleaseContact),
        key=lambda d: (d["order"], d["id"]),
    )
    partnerships = Partnership.objects.filter(pk__in=data.get("partnerships", [])).order_by("title")
    status = data.get("status", "")

    def instant(value: Any) -> str:
        return format_instant(value) if value else "—"

    return {
        "Title": data.get("title", ""),
        "Slug (URL)": data.get("slug", ""),
        "Summary": data.get("summary", ""),
        "Dateline place": data.get("dateline_place", ""),
        "Dateline date": str(data.get("dateline_date") or ""),
        "Body (HTML)": data.get("body", ""),
        "Issuing organisations": "; ".join(
            orgs.get(d["organisation_id"], "(deleted)") for d in issuers
        ),
        "Contacts": "; ".join(
            f"{people.get(d['contact_id'], '(deleted)')} — {ReleaseContact.Role(d['role']).label}"
            for d in contacts
        ),
        "Partnerships": "; ".join(p.title for p in partnerships),
        "Status": Status(status).label if status in Status.values else status,
        "Publish at": instant(data.get("publish_at")),
        "Withdrawal explanation": data.get("withdrawal_reason", ""),
    }


def compare_rows(old: Version, new: Version) -> list[dict[str, Any]]:
    a, b = _snapshot(old), _snapshot(new)
    rows = []
    for label in a:
        before, after = a[label], b.get(label, "")
        changed = before != after
        rows.append(
            {
                "label": label,
                "old": before,
                "new": after,
                "changed": changed,
                "diff": inline_diff(before, after) if changed else None,
            }
        )
    return rows


# ---------------------------------------------------------------------------
# The release admin
# ---------------------------------------------------------------------------


@admin.register(PressRelease)
class PressReleaseAdmin(VersionAdmin):
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
    actions = ["submit_selected", "approve_selected"]

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
        if obj.is_scheduled:
            local = timezone.localtime(obj.publish_at, newsroom_tz())
            return f"Scheduled for {local:%d %b %Y %H:%M} {local.tzname()}"
        return obj.get_status_display()

    @admin.display(description="Lead organisation")
    def lead_organisation(self, obj: PressRelease) -> str:
        lead = obj.lead_issuer
        return lead.short_name if lead else "—"

    @admin.display(description="Dateline", ordering="dateline_date")
    def dateline_column(self, obj: PressRelease) -> str:
        return obj.dateline or "—"

    # -- permissions: all asked of workflow.py ------------------------------

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
            rows = []
            for name in CONFLICT_FIELDS:
                theirs = getattr(conflict, name)
                yours = form.data.get(name, "")
                theirs_s = "" if theirs is None else str(theirs)
                rows.append(
                    {
                        "label": PressRelease._meta.get_field(name).verbose_name.capitalize(),
                        "theirs": theirs_s,
                        "yours": yours,
                        "changed": theirs_s.strip() != str(yours).strip(),
                    }
                )
            context["conflict"] = conflict
            context["conflict_rows"] = rows
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

    def workflow_context(self, request: HttpRequest, release: PressRelease) -> dict[str, Any]:
        """What the status/embargo panel and the workflow buttons show."""
        now = timezone.now()
        return {
            "wf_release": release,
            "wf_state": self.state_column(release),
            "wf_transitions": workflow.available_transitions(request.user, release, now),
            "wf_publish_at": format_instant(release.publish_at),
            "wf_first_published_at": format_instant(release.first_published_at),
            "wf_last_updated_at": format_instant(release.last_updated_at),
            "wf_withdrawn_at": format_instant(release.withdrawn_at),
            "wf_tz": settings.TIME_ZONE,
            "wf_audit": list(
                AuditLogEntry.objects.filter(release=release).select_related("user")[:15]
            ),
            "wf_preview_links": list(PreviewLink.objects.filter(release=release).active(now)),
            "wf_can_share": workflow.can_preview(request.user),
            "wf_default_time": timezone.localtime(
                now + datetime.timedelta(hours=1), newsroom_tz()
            ).strftime("%Y-%m-%dT%H:00"),
        }

    # -- URLs ----------------------------------------------------------------

    def get_urls(self) -> list:
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/transition/<str:name>/",
                view(self.transition_view),
                name=f"{prefix}_transition",
            ),
            path("<path:object_id>/preview/", view(self.preview_view), name=f"{prefix}_preview"),
            path(
                "<path:object_id>/preview-links/",
                view(self.create_preview_link_view),
                name=f"{prefix}_preview_link",
            ),
            path(
                "<path:object_id>/preview-links/<int:link_id>/revoke/",
                view(self.revoke_preview_link_view),
                name=f"{prefix}_revoke_preview_link",
            ),
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name=f"{prefix}_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                view(self.restore_view),
                name=f"{prefix}_restore",
            ),
            *super().get_urls(),
        ]

    def _release_or_404(self, request: HttpRequest, object_id: str) -> PressRelease:
        release = self.get_object(request, unquote(object_id))
        if release is None:
            raise Http404("No such release.")
        if not self.has_view_or_change_permission(request, release):
            raise PermissionDenied
        return release

    def _change_url(self, release: PressRelease) -> str:
        return reverse("admin:releases_pressrelease_change", args=[quote(release.pk)])

    # -- workflow buttons ------------------------------------------------------

    def transition_view(self, request: HttpRequest, object_id: str, name: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse("admin:releases_pressrelease_change", args=[object_id])
            )
        release = self._release_or_404(request, object_id)
        if name not in workflow.TRANSITIONS:
            raise Http404("No such action.")
        data: dict[str, Any] = {"note": request.POST.get("note", "")}
        raw_time = (request.POST.get("publish_at") or "").strip()
        if raw_time:
            try:
                naive = datetime.datetime.fromisoformat(raw_time)
            except ValueError:
                messages.error(
                    request, f"“{raw_time}” is not a date and time (use YYYY-MM-DD HH:MM)."
                )
                return HttpResponseRedirect(self._change_url(release))
            data["publish_at"] = (
                naive.replace(tzinfo=newsroom_tz()) if timezone.is_naive(naive) else naive
            )
        label = workflow.TRANSITIONS[name].label
        try:
            workflow.apply_transition(name, release, request.user, data)
        except (workflow.TransitionError, PermissionDenied) as exc:
            messages.error(request, f"{label}: {exc}")
        else:
            state = self.state_column(release)
            messages.success(request, f"{label}: done. “{release.title}” is now {state.lower()}.")
        return HttpResponseRedirect(self._change_url(release))

    @admin.action(description="Submit selected drafts for review")
    def submit_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, "submit")

    @admin.action(description="Approve selected releases in review")
    def approve_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, "approve")

    def _bulk(self, request: HttpRequest, queryset: QuerySet, name: str) -> None:
        done, refused = 0, []
        for release in queryset:
            try:
                workflow.apply_transition(name, release, request.user, {})
                done += 1
            except (workflow.TransitionError, PermissionDenied) as exc:
                refused.append(f"“{release.title}”: {exc}")
        if done:
            messages.success(request, f"{workflow.TRANSITIONS[name].label}: {done} release(s).")
        for message in refused:
            messages.error(request, message)

    # -- preview -----------------------------------------------------------------

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        release = self._release_or_404(request, object_id)
        return render_preview(request, release)

    def create_preview_link_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        release = self._release_or_404(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(release))
        try:
            days = int(request.POST.get("days") or 7)
        except ValueError:
            days = 0
        if not 1 <= days <= 30:
            messages.error(request, "A preview link lasts between 1 and 30 days.")
            return HttpResponseRedirect(self._change_url(release))
        try:
            link = workflow.create_preview_link(
                release, request.user, lifetime=datetime.timedelta(days=days)
            )
        except (workflow.TransitionError, PermissionDenied) as exc:
            messages.error(request, str(exc))
        else:
            url = request.build_absolute_uri(link.get_absolute_url())
            messages.success(request, f"Preview link (valid {days} days): {url}")
        return HttpResponseRedirect(self._change_url(release))

    def revoke_preview_link_view(
        self, request: HttpRequest, object_id: str, link_id: int
    ) -> HttpResponse:
        release = self._release_or_404(request, object_id)
        if request.method == "POST":
            link = get_object_or_404(PreviewLink, pk=link_id, release=release)
            try:
                workflow.revoke_preview_link(link, request.user)
            except PermissionDenied as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "The preview link was revoked; it no longer works.")
        return HttpResponseRedirect(self._change_url(release))

    # -- history, compare, restore, recover -------------------------------------

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        release = self._release_or_404(request, object_id)
        versions = list(workflow.versions_of(release))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"History: {release}",
            "subtitle": None,
            "original": release,
            "versions": versions,
            "audit": AuditLogEntry.objects.filter(release=release).select_related("user"),
            "can_restore": workflow.can_edit(request.user, release),
            "needs_change_note": workflow.needs_change_note(release),
        }
        return render(request, "admin/releases/pressrelease/history.html", context)

    def compare_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        release = self._release_or_404(request, object_id)
        versions = workflow.versions_of(release)
        try:
            a_id, b_id = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
        except ValueError:
            messages.error(request, "Choose two revisions to compare.")
            return HttpResponseRedirect(
                reverse("admin:releases_pressrelease_history", args=[object_id])
            )
        old = versions.filter(pk=a_id).first()
        new = versions.filter(pk=b_id).first()
        if old is None or new is None:
            messages.error(request, "Those revisions do not belong to this release.")
            return HttpResponseRedirect(
                reverse("admin:releases_pressrelease_history", args=[object_id])
            )
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Compare revisions: {release}",
            "subtitle": None,
            "original": release,
            "old": old,
            "new": new,
            "rows": compare_rows(old, new),
            "can_restore": workflow.can_edit(request.user, release),
            "needs_change_note": workflow.needs_change_note(release),
        }
        return render(request, "admin/releases/pressrelease/compare.html", context)

    def restore_view(self, request: HttpRequest, object_id: str, version_id: int) -> HttpResponse:
        release = self._release_or_404(request, object_id)
        history_url = reverse("admin:releases_pressrelease_history", args=[object_id])
        if request.method != "POST":
            return HttpResponseRedirect(history_url)
        version = get_object_or_404(workflow.versions_of(release), pk=version_id)
        try:
            workflow.restore_revision(
                release, version, request.user, change_note=request.POST.get("change_note", "")
            )
        except (workflow.TransitionError, PermissionDenied) as exc:
            messages.error(request, f"Restore: {exc}")
            return HttpResponseRedirect(history_url)
        messages.success(
            request,
            "The content of that revision was restored. The status did not change: "
            f"the release is still {self.state_column(release).lower()}.",
        )
        return HttpResponseRedirect(self._change_url(release))

    def revision_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict | None = None,
    ):
        """Reversion's own "revert" form would restore the status too; compare instead."""
        release = self._release_or_404(request, object_id)
        latest = workflow.versions_of(release).first()
        url = reverse("admin:releases_pressrelease_compare", args=[object_id])
        return HttpResponseRedirect(
            f"{url}?a={int(version_id)}&b={latest.pk if latest else int(version_id)}"
        )

    def recover_view(
        self, request: HttpRequest, version_id: str, extra_context: dict | None = None
    ):
        request._newsroom_recovering = True  # type: ignore[attr-defined]
        return super().recover_view(request, version_id, extra_context)


# ---------------------------------------------------------------------------
# Audit log and preview links, site-wide
# ---------------------------------------------------------------------------


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is a record, not a document."""

    list_display = [
        "created_at",
        "action",
        "release_link",
        "user",
        "transition",
        "needs_second_look",
        "short_note",
    ]
    list_filter = ["needs_second_look", "action", ("user", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["release_title", "note", "user__username"]
    date_hierarchy = "created_at"
    list_select_related = ["release", "user"]

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


@admin.register(PreviewLink)
class PreviewLinkAdmin(admin.ModelAdmin):
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
        if obj.revoked_at:
            return "Revoked"
        return "Active" if obj.is_usable() else "Expired"

    @admin.action(description="Revoke selected preview links")
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        for link in queryset.select_related("release"):
            workflow.revoke_preview_link(link, request.user)
        messages.success(request, "Revoked.")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PreviewLink | None = None) -> bool:
        return False

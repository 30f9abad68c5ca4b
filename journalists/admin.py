"""The staff's side of journalists' accounts: who signed up, what they said, and the decisions.

The status is never a form field: each decision is a button leading to a
confirmation page that asks for the reason where one is needed, and is
applied by :mod:`journalists.rules` (permission, event, sessions, e-mail).
Journalists are added by signing up, never here.  An agreement version that
anyone accepted cannot be edited or deleted: a change is a new version.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Max, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.dates import house_datetime
from journalists import rules
from journalists.links import rule_url
from journalists.models import AgreementAcceptance, EmbargoAgreement, Journalist, JournalistEvent


class JournalistEventInline(admin.TabularInline):
    model = JournalistEvent
    fk_name = "journalist"
    verbose_name = "step"
    verbose_name_plural = "History"
    fields = ("when", "action", "by", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    @admin.display(description="When")
    def when(self, obj: JournalistEvent) -> str:
        return house_datetime(obj.at)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("journalists.view_journalist")


class AcceptanceInline(admin.TabularInline):
    model = AgreementAcceptance
    verbose_name = "agreement accepted"
    verbose_name_plural = "Embargo agreement accepted"
    fields = ("agreement", "accepted_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("journalists.view_journalist")


@admin.register(Journalist)
class JournalistAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "outlet",
        "role",
        "email",
        "verified",
        "status",
        "signed_up",
        "confirmed",
    )
    list_filter = ("status",)
    search_fields = ("name", "outlet", "user__email")
    list_select_related = ("user",)
    ordering = ("status", "-created_at")
    fieldsets = (
        ("Decision", {"fields": ("status", "status_reason", "decided", "confirmed_at")}),
        (
            "What they submitted",
            {
                "fields": (
                    "name",
                    "email",
                    "outlet",
                    "role",
                    "beat_list",
                    "countries",
                    "languages",
                    "phone",
                    "published_work_url",
                    "created_at",
                )
            },
        ),
    )
    readonly_fields = (
        "status",
        "status_reason",
        "decided",
        "confirmed_at",
        "email",
        "beat_list",
        "created_at",
    )
    inlines = [AcceptanceInline, JournalistEventInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):
        """Staff correct a typo in a profile (with ``change_journalist``), never the status."""
        return self.readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # journalists sign up themselves (allauth)

    def get_queryset(self, request: HttpRequest):
        from allauth.account.models import EmailAddress

        verified = EmailAddress.objects.filter(user=OuterRef("user"), verified=True)
        return super().get_queryset(request).annotate(address_verified=Exists(verified))

    @admin.display(description="Address verified", boolean=True, ordering="address_verified")
    def verified(self, obj: Journalist) -> bool:
        return obj.address_verified

    @admin.display(description="E-mail", ordering="user__email")
    def email(self, obj: Journalist) -> str:
        return obj.user.email

    @admin.display(description="Signed up", ordering="created_at")
    def signed_up(self, obj: Journalist) -> str:
        return house_datetime(obj.created_at)

    @admin.display(description="Confirmed", ordering="confirmed_at")
    def confirmed(self, obj: Journalist) -> str:
        return house_datetime(obj.confirmed_at) if obj.confirmed_at else "—"

    @admin.display(description="Last decision")
    def decided(self, obj: Journalist) -> str:
        if not obj.status_changed_at:
            return "—"
        who = obj.status_changed_by.get_username() if obj.status_changed_by else "the system"
        return f"{house_datetime(obj.status_changed_at)} by {who}"

    @admin.display(description="Beats")
    def beat_list(self, obj: Journalist) -> str:
        return ", ".join(t.name for t in obj.beats.all()) or "—"

    # -- the rules' buttons ------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/rule/<str:name>/",
                self.admin_site.admin_view(self.rule_view),
                name="{}_{}_rule".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        journalist = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if journalist is not None:
            extra_context["vet_rules"] = [
                (rule, rule_url(journalist.pk, rule.name))
                for rule in rules.available(journalist, request.user)
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def rule_view(self, request: HttpRequest, object_id: str, name: str) -> HttpResponse:
        """A decision's page: GET asks for confirmation (and the reason), POST applies."""
        journalist = self.get_object(request, object_id)
        if journalist is None or not self.has_view_permission(request, journalist):
            raise Http404("No such journalist.")
        rule = rules.RULES.get(name)
        if rule is None or not rule.staff:
            raise Http404("No such action.")
        change_url = reverse("admin:journalists_journalist_change", args=[quote(journalist.pk)])
        error = ""
        reason = request.POST.get("reason", "")
        if request.method == "POST":
            try:
                rules.apply(name, journalist, request.user, reason)
            except PermissionDenied as exc:
                raise PermissionDenied(str(exc)) from exc
            except rules.RuleError as exc:
                error = str(exc)
            else:
                journalist.refresh_from_db()
                messages.success(
                    request,
                    f"{rule.label}: done. {journalist.name} is now "
                    f"“{journalist.get_status_display().lower()}”.",
                )
                return HttpResponseRedirect(change_url)
        else:
            try:
                rules.check(name, journalist, request.user, reason="-")
            except PermissionDenied:
                raise
            except rules.RuleError as exc:
                messages.error(request, str(exc))
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{rule.label}: are you sure?" if rule.danger else rule.label,
            "subtitle": None,
            "original": journalist,
            "rule": rule,
            "error": error,
            "reason": reason,
            "change_url": change_url,
            "action_url": rule_url(journalist.pk, rule.name),
        }
        return TemplateResponse(request, "admin/journalists/journalist/confirm_rule.html", context)


@admin.register(EmbargoAgreement)
class EmbargoAgreementAdmin(admin.ModelAdmin):
    list_display = ("__str__", "published", "accepted_by")
    fields = ("version", "text", "published_at")

    @admin.display(description="In force from", ordering="published_at")
    def published(self, obj: EmbargoAgreement) -> str:
        return house_datetime(obj.published_at)

    @admin.display(description="Accepted by")
    def accepted_by(self, obj: EmbargoAgreement) -> int:
        return AgreementAcceptance.objects.filter(agreement=obj).count()  # a handful of versions

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """A new version: the next number, and the current text to start from."""
        latest = EmbargoAgreement.objects.aggregate(v=Max("version"))["v"] or 0
        current = EmbargoAgreement.objects.order_by("-version").first()
        return {"version": latest + 1, "text": current.text if current else ""}

    def _accepted(self, obj: EmbargoAgreement | None) -> bool:
        return bool(obj and obj.pk and AgreementAcceptance.objects.filter(agreement=obj).exists())

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """A version someone accepted is what they agreed to: never edited."""
        if self._accepted(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._accepted(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(AgreementAcceptance)
class AgreementAcceptanceAdmin(admin.ModelAdmin):
    list_display = ("journalist", "agreement", "accepted")
    list_filter = ("agreement",)
    list_select_related = ("journalist", "agreement")
    search_fields = ("journalist__name", "journalist__user__email")

    @admin.display(description="Accepted", ordering="accepted_at")
    def accepted(self, obj: AgreementAcceptance) -> str:
        return house_datetime(obj.accepted_at)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

"""The desk's pages: the admin home's context, invitations, the second look, "mark all read".

Thin: each asks the module that holds the rule (``desk.dashboard``,
``desk.notices``, ``desk.invitations``, ``releases.workflow``) and says
the outcome in words.  Served by :class:`desk.site.DeskAdminSite` under
the admin's URL.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from desk import dashboard, invitations, links, notices
from desk.forms import InviteForm
from releases import workflow
from releases.models import AuditLogEntry
from releases.workflow.permissions import has_perm


def home_actions(user: Any) -> list[dict[str, str]]:
    """The big buttons at the top of the home page, for those who may use them."""
    actions = []
    if has_perm(user, workflow.PERM_ADD):
        actions.append(
            {"label": "Write a release", "url": reverse("admin:releases_pressrelease_add")}
        )
        # The import view asks for the same permission (importer.admin).
        actions.append(
            {"label": "Import releases", "url": reverse("admin:importer_importrecord_import")}
        )
    if invitations.may_invite(user):
        actions.append({"label": "Invite a colleague", "url": reverse("admin:desk_invite")})
    return actions


def home_context(request: HttpRequest) -> dict[str, Any]:
    """What ``templates/admin/index.html`` shows above and beside the app list."""
    user = request.user
    for_you = notices.notices(user)
    return {
        "desk_actions": home_actions(user),
        "desk_panels": dashboard.panels(user),
        "desk_notices": for_you,
        "desk_unread": sum(1 for n in for_you if n.new),
    }


@require_POST
def mark_checked(request: HttpRequest, entry_id: int, *, site: AdminSite) -> HttpResponse:
    entry = get_object_or_404(AuditLogEntry.objects.select_related("checked_by"), pk=entry_id)
    try:
        workflow.mark_checked(entry, request.user)
    except (PermissionDenied, workflow.TransitionError) as refusal:
        messages.error(request, f"“{entry.release_title}” was not marked as checked: {refusal}")
    else:
        messages.success(request, f"“{entry.release_title}”: second look recorded. Thank you.")
    return HttpResponseRedirect(reverse("admin:index"))


@require_POST
def mark_read(request: HttpRequest, *, site: AdminSite) -> HttpResponse:
    notices.mark_all_read(request.user)
    return HttpResponseRedirect(reverse("admin:index") + "#desk-for-you")


def invite(request: HttpRequest, *, site: AdminSite) -> HttpResponse:
    if not invitations.may_invite(request.user):
        raise PermissionDenied("Only someone who may add users can invite colleagues.")
    invited = None
    if request.method == "POST" and "resend" in request.POST:
        return _resend(request, site)
    form = InviteForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            invited = invitations.invite(
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            form = InviteForm(inviter=request.user)
    return _invite_page(request, site, form, invited)


def _invite_page(
    request: HttpRequest, site: AdminSite, form: InviteForm, invited: Any, error: str = ""
) -> TemplateResponse:
    context = {
        "error": error,
        **site.each_context(request),
        "title": "Invite a colleague",
        "form": form,
        "invited": invited,
        "days": links.valid_days(),
    }
    return TemplateResponse(request, "desk/invite.html", context)


def _resend(request: HttpRequest, site: AdminSite) -> HttpResponse:
    """ "Send a new link" for an invitation not yet taken up."""
    form = InviteForm(inviter=request.user)
    user = invitations.existing_account(str(request.POST.get("resend", "")))
    if user is None:
        return _invite_page(request, site, form, None, "There is no such invitation.")
    try:
        invited = invitations.resend(user, invited_by=request.user)
    except ValidationError as refusal:
        return _invite_page(request, site, form, None, " ".join(refusal.messages))
    return _invite_page(request, site, form, invited)


@never_cache
def set_password(request: HttpRequest, uidb64: str, token: str, *, site: AdminSite) -> HttpResponse:
    """The page an invitation links to: choose a password, then log in."""
    user = links.user_from_link(uidb64, token)
    context: dict[str, Any] = {**site.each_context(request), "title": "Choose your password"}
    if user is None:
        context["title"] = "This link no longer works"
        return TemplateResponse(request, "desk/set_password_invalid.html", context, status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            f"Your password is set. Log in with your username “{user.get_username()}”.",
        )
        return HttpResponseRedirect(reverse("admin:login"))
    context.update({"form": form, "invited": user})
    return TemplateResponse(request, "desk/set_password.html", context)

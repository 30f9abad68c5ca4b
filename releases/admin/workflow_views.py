"""The release admin's workflow pages: the status panel and its buttons, bulk
actions, preview links, history, compare, restore and recovery.

The buttons and the bulk actions are drawn from the workflow's registry
(``releases.workflow.registry``): a transition registered there gets its
button on the change form, its URL (``…/transition/<name>/``) and, if it
has a ``bulk_label``, its action on the list, with nothing to add here.
Every view calls the workflow; none changes a release itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from reversion.models import Version

from core.dates import newsroom_tz
from releases import workflow
from releases.admin.compare import compare_rows
from releases.admin.helpers import format_instant, state_label
from releases.models import AuditLogEntry, PressRelease, PreviewLink
from releases.views.previews import render_preview

BulkAction = Callable[[admin.ModelAdmin, HttpRequest, QuerySet], None]


def bulk_action(transition: workflow.Transition) -> BulkAction:
    """The list's bulk action for ``transition``: ``<name>_selected``, labelled ``bulk_label``."""
    name = transition.name

    @admin.action(description=transition.bulk_label)
    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
        modeladmin.apply_in_bulk(request, queryset, name)

    action.__name__ = action.__qualname__ = f"{name}_selected"
    return action


#: The embargo field reads one format whatever the browser's language
#: (a ``datetime-local`` field shows and sends the browser's own idea of a date).
#: ``parse_instant`` reads it; seconds and the ISO "T" are accepted too.
EMBARGO_PATTERN = r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?"


def embargo_input_context(now: datetime.datetime) -> dict[str, str]:
    """The embargo field's zone, format and suggested value (the next whole hour but one)."""
    suggested = timezone.localtime(now + datetime.timedelta(hours=1), newsroom_tz())
    return {
        "wf_tz": settings.TIME_ZONE,
        "wf_tz_abbr": suggested.tzname() or settings.TIME_ZONE,
        "wf_time_pattern": EMBARGO_PATTERN,
        "wf_default_time": suggested.strftime("%Y-%m-%d %H:00"),
    }


def transition_data(post: QueryDict, name: str, *, in_form: bool = False) -> dict[str, str]:
    """The note and embargo time typed for transition ``name``.

    The stand-alone forms and the confirmation page post ``note`` and
    ``publish_at``; the buttons inside the change form post
    ``wf-<name>-note`` and ``wf-<name>-publish_at`` (``in_form``), because
    every transition's fields are in that one form.
    """
    key = f"wf-{name}-" if in_form else ""
    return {
        "note": post.get(f"{key}note", ""),
        "publish_at": post.get(f"{key}publish_at", ""),
    }


class WorkflowAdminMixin:
    """The workflow side of :class:`~releases.admin.press_releases.PressReleaseAdmin`.

    A mixin for a ``ModelAdmin`` of :class:`PressRelease`; kept apart so that
    the content form and the list read on their own.
    """

    def workflow_context(self, request: HttpRequest, release: PressRelease) -> dict[str, Any]:
        """What the status/embargo panel and the workflow buttons show."""
        now = timezone.now()
        can_edit = workflow.can_edit(request.user, release)
        return {
            "wf_release": release,
            "wf_state": state_label(release),
            # Each button with what was typed for it, kept when the form comes
            # back with errors (nothing typed is lost).
            "wf_transitions": [
                {
                    "t": t,
                    "typed": transition_data(request.POST, t.name, in_form=True)
                    if request.method == "POST"
                    else {},
                }
                for t in workflow.available_transitions(request.user, release, now)
            ],
            # Whoever may edit presses a button *of the change form*: the form is
            # saved first, so nothing typed is lost (``save_then_transition``).
            "wf_in_form": can_edit,
            "wf_publish_at": format_instant(release.publish_at),
            "wf_first_published_at": format_instant(release.first_published_at),
            "wf_last_updated_at": format_instant(release.last_updated_at),
            "wf_withdrawn_at": format_instant(release.withdrawn_at),
            **embargo_input_context(now),
            "wf_audit": list(
                AuditLogEntry.objects.filter(release=release).select_related("user")[:15]
            ),
            "wf_preview_links": list(PreviewLink.objects.filter(release=release).active(now)),
            # The share and revoke forms only for those the workflow lets share.
            "wf_can_share": workflow.can_share_preview(request.user, release),
            # Saving text or files will send it back for review: say so before the save.
            "wf_edit_sends_back": workflow.edit_sends_back(release, now) and can_edit,
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
        """A workflow button's page: GET asks for confirmation, POST applies.

        The GET page says in plain words what will happen, shows the
        release's title and state and asks for the note (required where the
        transition requires one).  Destructive and exceptional transitions
        (``danger``) always come here first; the others may post straight
        from the change form.  The embargo time is read by the workflow
        (``parse_instant``); a refusal made on the confirmation page is shown
        on it again with what was typed, any other on the change form.
        """
        release = self._release_or_404(request, object_id)
        if name not in workflow.TRANSITIONS:
            raise Http404("No such action.")
        transition = workflow.TRANSITIONS[name]
        if request.method != "POST":
            try:
                transition.check(request.user, release, timezone.now())
            except (workflow.TransitionError, PermissionDenied) as exc:
                messages.error(request, f"{transition.label}: {exc}")
                return HttpResponseRedirect(self._change_url(release))
            return self._confirmation_page(request, release, transition)
        data = transition_data(request.POST, name)
        try:
            self._apply(request, release, transition, data)
        except (workflow.TransitionError, PermissionDenied) as exc:
            if "_confirm" in request.POST:
                return self._confirmation_page(
                    request, release, transition, error=str(exc), typed=data
                )
            messages.error(request, f"{transition.label}: {exc}")
        return HttpResponseRedirect(self._change_url(release))

    def _apply(
        self,
        request: HttpRequest,
        release: PressRelease,
        transition: workflow.Transition,
        data: dict[str, str],
        *,
        saved: bool = False,
    ) -> None:
        """Apply ``transition`` and say so; refusals are raised for the caller to show."""
        workflow.apply_transition(transition.name, release, request.user, data)
        state = state_label(release)
        message = f"{transition.label}: done. “{release.title}” is now {state.lower()}."
        if saved:
            message += " Your changes were saved first."
        messages.success(request, message)

    def _confirmation_page(
        self,
        request: HttpRequest,
        release: PressRelease,
        transition: workflow.Transition,
        *,
        error: str = "",
        typed: dict[str, str] | None = None,
    ) -> HttpResponse:
        now = timezone.now()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{transition.label}: are you sure?"
            if transition.danger
            else transition.label,
            "subtitle": None,
            "original": release,
            "transition": transition,
            "consequence": getattr(transition, "consequence", ""),
            "state": state_label(release),
            "issuers": ", ".join(o.short_name for o in release.organisations.all()),
            "error": error,
            "typed": typed or {},
            "change_url": self._change_url(release),
            **embargo_input_context(now),
        }
        return render(request, "admin/releases/pressrelease/confirm_transition.html", context)

    def response_change(self, request: HttpRequest, obj: PressRelease) -> HttpResponse:
        """A workflow button pressed in the change form: the form is saved; now the transition.

        The transition is applied by :meth:`change_view` once the save
        has committed (its own revision and audit entry, after the edit's).
        A destructive one goes to its confirmation page instead.
        """
        name = request.POST.get("_transition", "")
        if name not in workflow.TRANSITIONS:
            return super().response_change(request, obj)
        request._newsroom_transition = name  # type: ignore[attr-defined]
        return HttpResponseRedirect(self._change_url(obj))

    def save_then_transition(self, request: HttpRequest, release_id: Any) -> HttpResponse:
        """After a successful save of the change form, apply the transition it asked for."""
        name = request._newsroom_transition  # type: ignore[attr-defined]
        transition = workflow.TRANSITIONS[name]
        release = PressRelease.objects.get(pk=release_id)
        changed = getattr(request, "_newsroom_changed", False)
        if transition.danger:
            if changed:
                messages.info(request, "Your changes were saved.")
            return HttpResponseRedirect(
                reverse("admin:releases_pressrelease_transition", args=[quote(release.pk), name])
            )
        try:
            self._apply(
                request,
                release,
                transition,
                transition_data(request.POST, name, in_form=True),
                saved=changed,
            )
        except (workflow.TransitionError, PermissionDenied) as exc:
            saved = " Your changes were saved." if changed else ""
            messages.error(request, f"{transition.label}: {exc}{saved}")
        return HttpResponseRedirect(self._change_url(release))

    # -- bulk actions on the list ------------------------------------------------

    @property
    def actions(self) -> list[BulkAction]:
        """One bulk action per transition with a ``bulk_label``, asked of the registry each time.

        Read on every request (not frozen at import), so a transition
        registered later gets its action like the ones defined here.
        """
        return [bulk_action(t) for t in workflow.bulk_transitions()]

    def apply_in_bulk(self, request: HttpRequest, queryset: QuerySet, name: str) -> None:
        """Apply transition ``name`` to each selected release; one refusal stops no other."""
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
        was = state_label(release).lower()
        try:
            outcome = workflow.restore_revision(
                release, version, request.user, change_note=request.POST.get("change_note", "")
            )
        except (workflow.TransitionError, PermissionDenied) as exc:
            messages.error(request, f"Restore: {exc}")
            return HttpResponseRedirect(history_url)
        if outcome.sent_back:
            messages.warning(
                request,
                "The content of that revision was restored, and the release went back for "
                f"review: it was {was}, and changed text or files need a second look"
                f"{' (its embargo was cleared)' if was.startswith('scheduled') else ''}.",
            )
        else:
            messages.success(
                request,
                "The content of that revision was restored. The status did not change: "
                f"the release is still {state_label(release).lower()}.",
            )
        if outcome.not_restored:
            messages.warning(
                request,
                "Some of that revision could not be restored: "
                + "; ".join(outcome.not_restored)
                + ".",
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
        request._newsroom_recover_version = version_id  # type: ignore[attr-defined]
        return super().recover_view(request, version_id, extra_context)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict | None = None,
    ):
        """During a recovery, complete the release django-reversion has just put back.

        Its topics come back from the revision, and a picture or document
        whose file is gone is left out and named, so that the rest is
        recovered (the form would otherwise fail on the missing file).
        """
        if getattr(request, "_newsroom_recovering", False) and object_id:
            self._complete_recovery(request, object_id)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        """The change form; after a save asked for by a workflow button, the transition.

        django-reversion keeps the save's revision around this view, so the
        transition runs after it returns: the save has committed and the
        transition keeps its own revision and audit entry.
        """
        response = super().change_view(request, object_id, form_url, extra_context)
        if getattr(request, "_newsroom_transition", None):
            return self.save_then_transition(request, unquote(object_id))
        return response

    def _complete_recovery(self, request: HttpRequest, object_id: str) -> None:
        version = Version.objects.filter(pk=request._newsroom_recover_version).first()
        release = PressRelease.objects.filter(pk=unquote(object_id)).first()
        if version is None or release is None or version._model is not PressRelease:
            return
        missing = workflow.prepare_recovery(release, version)
        request._newsroom_missing_files = missing  # type: ignore[attr-defined]
        for what in missing:
            messages.warning(
                request,
                f"Could not recover the {what}; it is left out and the rest of the release "
                "is recovered. Upload the file again if you have it.",
            )

"""The release form's language versions: "Translate" and the out-of-date flag.

The rules (who may translate, what a translation starts with, when it is
out of date) are the workflow's (``releases.workflow.translations``); this
module draws them on the change form and gives "Translate" its POST URL.

"Translate into …" is a small form of its own beside the workflow panel,
not a button of the change form: it makes a *new* release, so unsaved
edits of this one are not its business (the page's "leave with unsaved
changes?" warning still guards them).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _

from core.i18n import name_local
from releases import workflow
from releases.admin.helpers import format_instant, state_label
from releases.models import PressRelease
from releases.workflow import translations
from releases.workflow.permissions import can_translate


def change_url(release: PressRelease) -> str:
    return reverse("admin:releases_pressrelease_change", args=[quote(release.pk)])


class TranslationAdminMixin:
    """The translation side of the release admin (URLs, context, the flag)."""

    def get_urls(self) -> list:
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/translate/<str:language>/",
                self.admin_site.admin_view(self.translate_view),
                name=f"{prefix}_translate",
            ),
            *super().get_urls(),
        ]

    def translate_view(self, request: HttpRequest, object_id: str, language: str) -> HttpResponse:
        """POST: make the draft translation and open it; a refusal is said on the source."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        source = self._release_or_404(request, object_id)
        try:
            made = translations.translate(source, language, request.user)
        except (workflow.TransitionError, PermissionDenied) as exc:
            messages.error(request, str(exc) or _("You may not translate releases."))
            return HttpResponseRedirect(change_url(source))
        messages.success(
            request,
            _(
                "A draft in %(language)s was made from “%(title)s”. Translate the text, the "
                "pictures' alt text and captions (everything marked “%(marker)s”), then "
                "submit it for review."
            )
            % {
                "language": name_local(language),
                "title": source.title,
                "marker": translations.MARKER.strip(),
            },
        )
        return HttpResponseRedirect(change_url(made))

    def translation_context(self, request: HttpRequest, release: PressRelease) -> dict[str, Any]:
        """The other language versions (with their state), what may be translated, the flag."""
        versions = (
            PressRelease.objects.translations_of(release)
            .only("pk", "title", "language", "status", "publish_at", "translation_key")
            .order_by("language")
        )
        stale = translations.staleness(release)
        return {
            "tr_language": name_local(release.language),
            "tr_versions": [
                {
                    "release": other,
                    "language": name_local(other.language),
                    "state": state_label(other),
                    "url": change_url(other),
                }
                for other in versions
            ],
            "tr_missing": [
                {"code": code, "name": name_local(code)}
                for code in translations.missing_languages(release)
            ]
            if can_translate(request.user, release)
            else [],
            "tr_stale": stale,
            "tr_stale_since": format_instant(stale.since) if stale else "",
            "tr_source_history": (
                reverse("admin:releases_pressrelease_history", args=[quote(stale.source.pk)])
                if stale
                else ""
            ),
        }

    def mark_translation_up_to_date(self, request: HttpRequest, release: PressRelease) -> None:
        """After a save with "up to date" ticked: the flag goes."""
        translations.mark_up_to_date(release, request.user)
        messages.info(request, _("Marked as up to date with its source."))

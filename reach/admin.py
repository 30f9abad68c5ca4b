"""Reach in the admin: the daily rows (read only) and one release's panel."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path

from reach import panel
from reach.models import DailyCount
from releases.models import PressRelease


@admin.register(DailyCount)
class DailyCountAdmin(admin.ModelAdmin):
    list_display = ["release", "day", "kind", "count"]
    list_filter = ["kind", "day"]
    search_fields = ["release__title"]
    readonly_fields = ["release", "day", "kind", "count"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self) -> list:
        return [
            path(
                "release/<int:release_id>/",
                self.admin_site.admin_view(self.panel_view),
                name="reach_panel",
            ),
            *super().get_urls(),
        ]

    def panel_view(self, request: HttpRequest, release_id: int) -> HttpResponse:
        if not request.user.has_perm("reach.view_dailycount"):
            raise PermissionDenied
        release = get_object_or_404(PressRelease, pk=release_id)
        return TemplateResponse(
            request,
            "admin/reach/panel.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"Reach of “{release.title}”",
                "panel": panel.build(release),
            },
        )

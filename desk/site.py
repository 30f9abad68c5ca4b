"""The admin site whose home page is the desk (``admin.site``, through ``DeskAdminConfig``).

Only two things differ from Django's ``AdminSite``: the home page gets the
desk's context (``desk.views.home_context``: the sections for the person,
"For you", the big buttons), and the desk's own pages are added to the
admin's URLs — the invite page, "Mark as checked" and "Mark all read"
behind the admin's login, and the set-password page of an invitation,
which must open for someone who has no password yet.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path

from desk import views


class DeskAdminSite(admin.AdminSite):
    def index(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        context = {**views.home_context(request), **(extra_context or {})}
        return super().index(request, extra_context=context)

    def get_urls(self) -> list[URLPattern | URLResolver]:
        guarded = self.admin_view
        return [
            path("desk/invite/", guarded(partial(views.invite, site=self)), name="desk_invite"),
            path(
                "desk/checked/<int:entry_id>/",
                guarded(partial(views.mark_checked, site=self)),
                name="desk_mark_checked",
            ),
            path("desk/read/", guarded(partial(views.mark_read, site=self)), name="desk_mark_read"),
            path(
                "welcome/<uidb64>/<token>/",
                partial(views.set_password, site=self),
                name="desk_set_password",
            ),
            *super().get_urls(),
        ]

"""Small things the release admin's pages share: newsroom time, the state as staff
say it, and the permissions of the rows shown inside a release's form."""

from __future__ import annotations

import datetime

from django.http import HttpRequest

from core.dates import house_datetime
from releases import workflow
from releases.models import PressRelease


def format_instant(value: datetime.datetime | None) -> str:
    """ "18 Oct 2023, 09:00 PKT (04:00 UTC)": embargoes are agreed across time zones."""
    return house_datetime(value, utc=True)


def state_label(release: PressRelease) -> str:
    """The status, except that a scheduled release says when it goes public (newsroom time)."""
    if release.is_scheduled:
        return f"Scheduled for {house_datetime(release.publish_at)}"
    return release.get_status_display()


class WorkflowInlinePermissions:
    """Rows inside a release's form (issuers, contacts, pictures, documents) are part
    of its content: addable, changeable and deletable exactly when the release is
    editable by this user (``workflow.can_edit``), whatever model permissions the
    user holds for the row's own model."""

    def has_add_permission(self, request: HttpRequest, obj: PressRelease | None = None) -> bool:
        return workflow.can_edit(request.user, obj)

    def has_change_permission(self, request: HttpRequest, obj: PressRelease | None = None) -> bool:
        return workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: PressRelease | None = None) -> bool:
        return workflow.can_edit(request.user, obj)

    def has_view_permission(self, request: HttpRequest, obj: PressRelease | None = None) -> bool:
        return workflow.can_preview(request.user)

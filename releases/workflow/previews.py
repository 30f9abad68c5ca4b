"""Shareable preview links: a release shown to someone without an account, for a while.

Anyone who may see releases in the admin may share one (a partner has to
sign off a joint release before it is public).  Creating and revoking are
logged on the release, so "who showed this draft to whom" is answerable.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from releases.models import PressRelease, PreviewLink
from releases.models.preview import PREVIEW_LINK_LIFETIME
from releases.workflow.base import TransitionError, audit
from releases.workflow.permissions import Action, User, can_preview


def create_preview_link(
    release: PressRelease,
    user: User,
    *,
    lifetime: datetime.timedelta = PREVIEW_LINK_LIFETIME,
) -> PreviewLink:
    """A link to show ``release`` to someone without an account, until it expires."""
    if not can_preview(user):
        raise PermissionDenied("You may not share previews of releases.")
    if lifetime <= datetime.timedelta(0):
        raise TransitionError("A preview link must last some time.")
    now = timezone.now()
    link = PreviewLink.objects.create(
        release=release, created_by=user, created_at=now, expires_at=now + lifetime
    )
    local = timezone.localtime(link.expires_at)
    audit(
        release,
        user,
        Action.PREVIEW_LINK,
        from_status=release.status,
        to_status=release.status,
        note=f"Valid until {local:%d %b %Y %H:%M} {local.tzname()}",
    )
    return link


def revoke_preview_link(link: PreviewLink, user: User) -> PreviewLink:
    """Stop ``link`` working now; revoking it twice changes (and logs) nothing."""
    if not can_preview(user):
        raise PermissionDenied("You may not revoke preview links.")
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = user
        link.save(update_fields=["revoked_at", "revoked_by"])
        audit(
            link.release,
            user,
            Action.REVOKE_PREVIEW_LINK,
            from_status=link.release.status,
            to_status=link.release.status,
        )
    return link

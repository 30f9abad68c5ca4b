"""Shareable preview links: a release shown to someone without an account, for a while.

A link is a copy of the release's text handed outside the newsroom (a
partner signs off a joint release before it is public), so sharing one is
an act of the same weight as editing: it needs the preview-link permission
(``releases.add_previewlink``) *and* the right to edit that release
(:func:`~releases.workflow.permissions.can_edit`).  Revoking needs the
same, so nobody can kill a colleague's link from outside the release.
This module is the one place that rule lives; the admin asks
:func:`can_share_preview` to decide whether to show the form at all.

A link also dies with its release's public life: withdrawing or removing a
release revokes its open links (audited, so the admin's list is truthful),
and :func:`preview_link_state` refuses a link whose release is withdrawn or
removed even if it was never revoked.  Once the release is public a link
has nothing left to preview, so it sends the partner to the public page.

Creating and revoking are logged on the release, so "who showed this draft
to whom" is answerable.
"""

from __future__ import annotations

import datetime
import enum

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.dates import house_datetime
from releases.models import PressRelease, PreviewLink
from releases.models.preview import PREVIEW_LINK_LIFETIME
from releases.workflow.base import TransitionError, audit
from releases.workflow.permissions import Action, Status, User, can_edit, has_perm, is_live

PERM_SHARE = "releases.add_previewlink"


def can_share_preview(user: User, release: PressRelease) -> bool:
    """May ``user`` create (or revoke) preview links of ``release``?

    Both are needed: the permission says the role shares drafts at all; the
    right to edit says this release is theirs to show (a writer's own
    draft, anything an editor is working on).  A withdrawn or removed
    release is frozen, so nobody may share it.
    """
    return has_perm(user, PERM_SHARE) and can_edit(user, release)


def check_can_share(user: User, release: PressRelease, verb: str = "share") -> None:
    """:func:`can_share_preview` as a refusal, in words for the person who clicked."""
    if not has_perm(user, PERM_SHARE):
        raise PermissionDenied(f"You may not {verb} preview links of releases.")
    if not can_edit(user, release):
        raise PermissionDenied(
            f"You may not {verb} preview links of this release: only someone who may "
            "edit it in its current state can."
        )


def create_preview_link(
    release: PressRelease,
    user: User,
    *,
    lifetime: datetime.timedelta = PREVIEW_LINK_LIFETIME,
) -> PreviewLink:
    """A link to show ``release`` to someone without an account, until it expires."""
    check_can_share(user, release)
    if lifetime <= datetime.timedelta(0):
        raise TransitionError("A preview link must last some time.")
    now = timezone.now()
    link = PreviewLink.objects.create(
        release=release, created_by=user, created_at=now, expires_at=now + lifetime
    )
    audit(
        release,
        user,
        Action.PREVIEW_LINK,
        from_status=release.status,
        to_status=release.status,
        note=f"Valid until {house_datetime(link.expires_at)}",
    )
    return link


def _revoke(link: PreviewLink, user: User, now: datetime.datetime, note: str = "") -> None:
    link.revoked_at = now
    link.revoked_by = user if user and user.pk else None
    link.save(update_fields=["revoked_at", "revoked_by"])
    audit(
        link.release,
        user,
        Action.REVOKE_PREVIEW_LINK,
        from_status=link.release.status,
        to_status=link.release.status,
        note=note,
    )


def revoke_preview_link(link: PreviewLink, user: User) -> PreviewLink:
    """Stop ``link`` working now; revoking it twice changes (and logs) nothing."""
    check_can_share(user, link.release, "revoke")
    if link.revoked_at is None:
        _revoke(link, user, timezone.now())
    return link


def revoke_open_links(release: PressRelease, user: User, now: datetime.datetime, why: str) -> int:
    """Revoke every open link of ``release`` as part of a transition; returns how many.

    Called by the withdraw and remove transitions inside their transaction,
    after their own permission check: the person taking a release off the
    site must not have to find and revoke each link by hand, and the
    admin's list of working links must not show dead ones as alive.
    """
    links = list(PreviewLink.objects.filter(release=release).active(now).select_related("release"))
    for link in links:
        link.release = release  # the locked, updated row: the audit shows the new state
        _revoke(link, user, now, note=f"Revoked automatically: {why}")
    return len(links)


class PreviewState(enum.StrEnum):
    """What a preview link may show now, in the order the checks are made."""

    SHOW = "show"  #: the release, as the public will see it
    PUBLIC = "public"  #: nothing to preview: send the visitor to the public page
    REVOKED = "revoked"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    REMOVED = "removed"


def preview_link_state(link: PreviewLink, now: datetime.datetime | None = None) -> PreviewState:
    """What ``link`` may show at ``now``.

    A withdrawn or removed release is never shown through a link, revoked
    or not: its text has left the public site, and a link made before the
    withdrawal (or whose revocation failed) must not keep it alive.  Then a
    revoked or expired link is refused; a release already public sends the
    visitor to its public page; otherwise the preview is shown.
    """
    now = now or timezone.now()
    release = link.release
    if release.status == Status.WITHDRAWN:
        return PreviewState.WITHDRAWN
    if release.status == Status.REMOVED:
        return PreviewState.REMOVED
    if link.revoked_at is not None:
        return PreviewState.REVOKED
    if link.expires_at <= now:
        return PreviewState.EXPIRED
    if is_live(release, now):
        return PreviewState.PUBLIC
    return PreviewState.SHOW

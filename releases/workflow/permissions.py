"""Who may do what, and the states the rules are written in.

Roles are Django groups holding model permissions (see the ``roles`` data
migration); the rules below ask for permissions, never for group names, so
an administrator can compose roles differently.

"Scheduled" and "live" are not statuses of their own: both are
``published``, told apart by ``publish_at``.  The helpers here say which one
a release is *at a given instant*, so that a check run inside a transition
and the same check run to draw a button agree.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

from releases.models import AuditLogEntry, PressRelease

Status = PressRelease.Status
Action = AuditLogEntry.Action
User = AbstractBaseUser | AnonymousUser

PERM_VIEW = "releases.view_pressrelease"
PERM_ADD = "releases.add_pressrelease"
PERM_CHANGE = "releases.change_pressrelease"
PERM_DELETE = "releases.delete_pressrelease"
PERM_REVIEW = "releases.review_pressrelease"
PERM_PUBLISH = "releases.publish_pressrelease"


def has_perm(user: User, perm: str) -> bool:
    """An inactive account holds no permission, whatever its groups say."""
    return bool(user and user.is_active and user.has_perm(perm))


def require(user: User, perm: str, message: str) -> None:
    """Refuse with ``message``, written for the person who clicked."""
    if not has_perm(user, perm):
        raise PermissionDenied(message)


def is_author(user: User, release: PressRelease) -> bool:
    return bool(user and user.pk and release.created_by_id == user.pk)


def submitted_by_id(release: PressRelease) -> int | None:
    """Who last submitted the release for review (the two-person rule's "first person")."""
    if not release.pk:
        return None
    submitter = (
        AuditLogEntry.objects.filter(release=release, action=Action.SUBMIT)
        .order_by("-created_at", "-id")
        .values_list("user_id", flat=True)
        .first()
    )
    # A release never submitted (imported, created by a command) falls back to its author.
    return submitter if submitter is not None else release.created_by_id


def check_two_person_rule(user: User, release: PressRelease) -> None:
    """Whoever submitted a release may not also make it public (publish or schedule).

    The refusal names the way out, so that an emergency is handled in the
    open (force-publish, flagged) rather than by borrowing a colleague's login.
    """
    if submitted_by_id(release) == user.pk:
        raise PermissionDenied(
            "You submitted this release yourself, so someone else must publish it. "
            "If it cannot wait, use “Force publish” and give a reason; it will be "
            "flagged for a second look."
        )


def can_edit(user: User, release: PressRelease | None) -> bool:
    """May ``user`` change the content (not the state) of ``release``?

    Writers edit their own drafts (a rejected release is a draft again);
    editors edit anything not yet final; publishers may correct what is
    scheduled or published.  Withdrawn and removed releases are a public
    record and are frozen for everyone.
    """
    if release is None or release.pk is None:
        return has_perm(user, PERM_ADD)
    if not has_perm(user, PERM_CHANGE):
        return False
    status = release.status
    if status == Status.DRAFT:
        return is_author(user, release) or has_perm(user, PERM_REVIEW)
    if status in (Status.IN_REVIEW, Status.APPROVED):
        return has_perm(user, PERM_REVIEW)
    if status == Status.PUBLISHED:
        return has_perm(user, PERM_REVIEW) or has_perm(user, PERM_PUBLISH)
    return False


def check_can_edit(user: User, release: PressRelease | None) -> None:
    """:func:`can_edit`, as a refusal that says why (frozen, or not yours at this stage)."""
    if can_edit(user, release):
        return
    if release is not None and release.status in (Status.WITHDRAWN, Status.REMOVED):
        raise PermissionDenied(
            f"This release is {release.get_status_display().lower()}; its content is frozen."
        )
    raise PermissionDenied("You may not edit this release in its current state.")


def can_preview(user: User) -> bool:
    return has_perm(user, PERM_VIEW) or has_perm(user, PERM_CHANGE)


def is_scheduled(release: PressRelease, now: datetime.datetime) -> bool:
    """Published, with an embargo that has not lifted yet at ``now``."""
    return (
        release.status == Status.PUBLISHED
        and release.publish_at is not None
        and release.publish_at > now
    )


def is_live(release: PressRelease, now: datetime.datetime) -> bool:
    """Published and public at ``now``."""
    return (
        release.status == Status.PUBLISHED
        and release.publish_at is not None
        and release.publish_at <= now
    )


def state_name(release: PressRelease, now: datetime.datetime) -> str:
    """The state as a refusal message names it ("scheduled", not "published")."""
    if is_scheduled(release, now):
        return "scheduled"
    return release.get_status_display().lower()


def can_translate(user: User, release: PressRelease | None = None) -> bool:
    """May ``user`` start a translation of ``release`` (the admin's "Translate")?

    A translation is a new release, written and edited like any other, so
    whoever may create *and* edit releases may translate; its publication
    then follows the workflow like any draft.  A removed release (published
    in error) is not a story to tell again in another language.
    """
    if release is not None and release.status == Status.REMOVED:
        return False
    return has_perm(user, PERM_ADD) and has_perm(user, PERM_CHANGE)

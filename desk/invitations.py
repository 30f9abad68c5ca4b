"""Inviting a colleague: an account with a role and no password, and a link to set one.

The rules, in one place (the admin's invite page and its tests use them):

* Who may invite: a user with ``auth.add_user``.  Who may be given which
  role: a role whose every permission the inviter holds (the Administrator
  role, "every permission", only by a superuser or an administrator), so
  inviting cannot hand out more than the inviter has.
* One account per address: an e-mail already used (any case) is refused by
  name.  The username is the address, so nobody has to remember a second
  name.
* The account has no usable password, the role's group and, through
  ``releases.roles.staff_status_follows_roles``, staff status.
* The link is Django's password-reset token (:data:`token_generator`): it
  dies when the password is set (the hash changes) and after
  ``PASSWORD_RESET_TIMEOUT``.  The e-mail is sent by the task worker
  (:mod:`desk.tasks`), after the transaction that created the account has
  committed; the inviting admin also sees the link at once, for when mail is slow.

The link is :mod:`desk.links`; the e-mail :mod:`desk.mail`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from desk import tasks
from desk.links import link_for
from releases.roles import ADMINISTRATOR, ROLES

PERM_INVITE = "auth.add_user"


@dataclass(frozen=True)
class Invitation:
    user: Any
    link: str


def may_invite(user: Any) -> bool:
    return bool(user and user.is_active and user.has_perm(PERM_INVITE))


def roles_for(inviter: Any) -> list[str]:
    """The roles ``inviter`` may give: those whose permissions they hold themselves."""
    allowed = []
    for name, perms in ROLES.items():
        if perms is None:
            if inviter.is_superuser or inviter.groups.filter(name=ADMINISTRATOR).exists():
                allowed.append(name)
        elif inviter.has_perms([f"{app}.{codename}" for app, codename in perms]):
            allowed.append(name)
    return allowed


def existing_account(email: str) -> Any | None:
    """The account already using ``email`` (as its address or username), any case."""
    users = get_user_model().objects
    return (
        users.filter(email__iexact=email.strip()).first()
        or users.filter(username__iexact=email.strip()).first()
    )


def is_pending(user: Any) -> bool:
    """Invited and not yet arrived: no password chosen, never logged in."""
    return user.is_active and not user.has_usable_password() and user.last_login is None


def resend(user: Any, *, invited_by: Any) -> Invitation:
    """A new link for an invitation not yet taken up (the old one expired or went astray)."""
    if not may_invite(invited_by):
        raise ValidationError("You may not invite colleagues.")
    if not is_pending(user):
        raise ValidationError(f"{user.email} has already chosen a password: they can log in.")
    inviter_id = invited_by.pk
    transaction.on_commit(lambda: tasks.send_invitation.enqueue(user.pk, inviter_id))
    return Invitation(user=user, link=link_for(user))


def invite(*, name: str, email: str, role: str, invited_by: Any) -> Invitation:
    """Create the account and queue its e-mail; raises ``ValidationError`` with the reason."""
    if not may_invite(invited_by):
        raise ValidationError("You may not invite colleagues.")
    if role not in roles_for(invited_by):
        raise ValidationError(f"You may not give the role “{role}”.")
    email = get_user_model().objects.normalize_email(email.strip()).lower()
    taken = existing_account(email)
    if taken is not None:
        raise ValidationError(
            f"{email} already has an account (username “{taken.get_username()}”)."
        )
    first, _, last = " ".join(name.split()).partition(" ")
    try:
        with transaction.atomic():
            user = get_user_model()(
                username=email, email=email, first_name=first[:150], last_name=last[:150]
            )
            user.set_unusable_password()
            user.save()
            # staff_status_follows_roles (an m2m_changed receiver) gives staff status.
            user.groups.add(Group.objects.get(name=role))
            inviter_id = invited_by.pk
            transaction.on_commit(lambda: tasks.send_invitation.enqueue(user.pk, inviter_id))
    except IntegrityError:  # the same address, invited twice at the same instant
        raise ValidationError(f"{email} already has an account.") from None
    return Invitation(user=user, link=link_for(user))

"""The vetting rules: every change of a journalist's status, in one place.

Each rule is a :class:`Rule`: the statuses it starts from, the status it
leads to, whether a reason is required, and what else it does.  :func:`apply`
is the only code that changes ``Journalist.status``; it

1. checks the permission (``journalists.vet_journalist`` for staff's rules;
   the journalist themselves for re-confirming; nobody for the sweep's lapse),
2. checks the status allows the rule, and the reason where one is required,
3. changes the status and writes a :class:`~journalists.models.JournalistEvent`
   (who, what, why, when: the history shown in the admin),
4. ends every open session of the journalist when access is taken away
   (suspend, revoke), so a browser logged in before is logged out at once,
5. e-mails the journalist, through the task worker, once the change is committed.

A journalist is never staff: :func:`signed_up` refuses a staff account, and
no rule touches ``is_staff``, groups or permissions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from journalists.models import Journalist, JournalistEvent

PERM_VET = "journalists.vet_journalist"

Status = Journalist.Status
Action = JournalistEvent.Action


class RuleError(Exception):
    """The rule does not apply now (wrong status, missing reason): a message for the person."""


@dataclass(frozen=True)
class Rule:
    name: str
    #: The button's words.
    label: str
    action: str
    sources: tuple[str, ...]
    target: str
    #: "required", "optional" or "" (no reason asked).
    reason: str = ""
    reason_label: str = "Reason (sent to the journalist)"
    #: What happens, in plain words, on the confirmation page.
    consequence: str = ""
    #: Access is taken away: end their open sessions.
    ends_sessions: bool = False
    #: Staff's rule (needs ``vet_journalist``); otherwise the journalist's or the system's.
    staff: bool = True
    #: Red button, "are you sure?".
    danger: bool = False
    #: The e-mail's template name under ``journalists/email/`` ("" for none).
    email: str = ""
    #: Approval and re-confirmation start the year again.
    confirms: bool = False


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule(
            "approve",
            "Approve",
            Action.APPROVED,
            (Status.PENDING, Status.MORE_INFO),
            Status.APPROVED,
            reason="optional",
            reason_label="Note (optional, kept in the history)",
            consequence="The journalist may read embargoed releases they are given access to, "
            "after accepting the embargo agreement. They are told by e-mail.",
            email="approved",
            confirms=True,
        ),
        Rule(
            "reject",
            "Reject",
            Action.REJECTED,
            (Status.PENDING, Status.MORE_INFO),
            Status.REJECTED,
            reason="required",
            consequence="The account stays, without access to embargoed material. "
            "The journalist is told by e-mail, with your reason.",
            danger=True,
            email="rejected",
        ),
        Rule(
            "more_info",
            "Ask for more information",
            Action.MORE_INFO,
            (Status.PENDING, Status.MORE_INFO),
            Status.MORE_INFO,
            reason="required",
            reason_label="What you need to know (sent to the journalist)",
            consequence="The journalist gets your question by e-mail; when they update "
            "their profile, the account is waiting for approval again.",
            email="more_info",
        ),
        Rule(
            "suspend",
            "Suspend",
            Action.SUSPENDED,
            (Status.APPROVED,),
            Status.SUSPENDED,
            reason="required",
            consequence="Access to embargoed material ends at once, and every open session "
            "of the journalist is ended. They are told by e-mail, with your reason.",
            ends_sessions=True,
            danger=True,
            email="suspended",
        ),
        Rule(
            "revoke",
            "Revoke",
            Action.REVOKED,
            (Status.APPROVED, Status.SUSPENDED, Status.LAPSED, Status.PENDING, Status.MORE_INFO),
            Status.REVOKED,
            reason="required",
            consequence="Access ends for good (only reinstating brings it back), and every "
            "open session is ended. They are told by e-mail, with your reason.",
            ends_sessions=True,
            danger=True,
            email="revoked",
        ),
        Rule(
            "reinstate",
            "Reinstate",
            Action.REINSTATED,
            (Status.SUSPENDED, Status.REVOKED, Status.LAPSED, Status.REJECTED),
            Status.APPROVED,
            reason="optional",
            reason_label="Note (optional, sent to the journalist)",
            consequence="The journalist is approved again, for a year from now, "
            "and told by e-mail.",
            email="reinstated",
            confirms=True,
        ),
        Rule(
            "lapse",
            "Lapse",
            Action.LAPSED,
            (Status.APPROVED,),
            Status.LAPSED,
            staff=False,
            email="lapsed",
        ),
        Rule(
            "reconfirm",
            "Re-confirm",
            Action.RECONFIRMED,
            (Status.APPROVED,),
            Status.APPROVED,
            staff=False,
            confirms=True,
        ),
        Rule(
            "resubmit",
            "Send for review",
            Action.RESUBMITTED,
            (Status.MORE_INFO,),
            Status.PENDING,
            staff=False,
        ),
    )
}

#: The rules staff apply from the admin, in the order of the buttons.
STAFF_RULES = [r for r in RULES.values() if r.staff]


def may_vet(user: Any) -> bool:
    """Whether ``user`` may apply the staff's rules (an inactive account may not)."""
    return bool(user and user.is_active and user.has_perm(PERM_VET))


def available(journalist: Journalist, user: Any) -> list[Rule]:
    """The staff's rules ``user`` may apply to ``journalist`` now (the admin's buttons)."""
    if not may_vet(user):
        return []
    return [r for r in STAFF_RULES if journalist.status in r.sources]


def check(name: str, journalist: Journalist, by: Any, reason: str = "") -> Rule:
    """Raise ``PermissionDenied`` or :class:`RuleError` unless the rule may be applied."""
    rule = RULES.get(name)
    if rule is None:
        raise RuleError("No such action.")
    if rule.staff:
        if not may_vet(by):
            raise PermissionDenied("You may not vet journalists.")
    elif name in ("reconfirm", "resubmit"):
        if by is None or by.pk != journalist.user_id:
            raise PermissionDenied("Only the journalist may do this.")
    elif by is not None:
        raise PermissionDenied("Only the system does this.")
    if journalist.user.is_staff or journalist.user.is_superuser:
        raise RuleError("This is a staff account: staff are never journalists.")
    if journalist.status not in rule.sources:
        raise RuleError(
            f"{rule.label} is not possible: the account is "
            f"“{journalist.get_status_display().lower()}”."
        )
    if (
        rule.name == "reconfirm"
        and journalist.confirmed_at
        and (journalist.confirmed_at < timezone.now() - settings.JOURNALISTS_RECONFIRM_AFTER)
    ):
        # Past the year the account has lapsed, whether or not the sweep has run.
        raise RuleError("Too late: the year is up and the account has lapsed.")
    if rule.reason == "required" and not reason.strip():
        raise RuleError("Please give a reason: the journalist is sent it.")
    return rule


def apply(
    name: str,
    journalist: Journalist,
    by: Any = None,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> JournalistEvent:
    """Apply rule ``name`` to ``journalist`` (see the module's docstring)."""
    now = now or timezone.now()
    reason = reason.strip()
    with transaction.atomic():
        journalist = Journalist.objects.select_for_update().get(pk=journalist.pk)
        rule = check(name, journalist, by, reason)
        before = journalist.status
        journalist.status = rule.target
        if rule.name not in ("reconfirm", "resubmit"):
            journalist.status_reason = reason
            journalist.status_changed_at = now
            journalist.status_changed_by = by
        if rule.confirms:
            journalist.confirmed_at = now
        journalist.save()
        event = JournalistEvent.objects.create(
            journalist=journalist,
            action=rule.action,
            by=by,
            reason=reason,
            status_before=before,
            status_after=rule.target,
            at=now,
        )
        if rule.ends_sessions:
            end_sessions(journalist.user)
        if rule.email:
            event_id = event.pk
            transaction.on_commit(lambda: _enqueue_status_mail(event_id))
    return event


def _enqueue_status_mail(event_id: int) -> None:
    from journalists import tasks

    tasks.send_status_mail.enqueue(event_id)


def end_sessions(user: Any) -> int:
    """End every open session of ``user`` (allauth's record of them): logged out at once."""
    from allauth.usersessions.models import UserSession

    sessions = list(UserSession.objects.filter(user_id=user.pk))
    for session in sessions:
        session.end()
    return len(sessions)


def signed_up(journalist: Journalist, beats: list | None = None) -> Journalist:
    """Record a new journalist, pending approval; refuse a staff account."""
    user = journalist.user
    if user.is_staff or user.is_superuser:
        raise PermissionDenied("A staff account cannot be a journalist.")
    journalist.status = Status.PENDING
    journalist.save()
    if beats:
        journalist.beats.set(beats)
    JournalistEvent.objects.create(
        journalist=journalist,
        action=Action.SIGNED_UP,
        by=user,
        status_after=Status.PENDING,
    )
    return journalist


# The rules by name, for readers of the code and the admin.


def approve(journalist: Journalist, by: Any, note: str = "") -> JournalistEvent:
    return apply("approve", journalist, by, note)


def reject(journalist: Journalist, by: Any, reason: str) -> JournalistEvent:
    return apply("reject", journalist, by, reason)


def ask_for_more(journalist: Journalist, by: Any, message: str) -> JournalistEvent:
    return apply("more_info", journalist, by, message)


def suspend(journalist: Journalist, by: Any, reason: str) -> JournalistEvent:
    return apply("suspend", journalist, by, reason)


def revoke(journalist: Journalist, by: Any, reason: str) -> JournalistEvent:
    return apply("revoke", journalist, by, reason)


def reinstate(journalist: Journalist, by: Any, note: str = "") -> JournalistEvent:
    return apply("reinstate", journalist, by, note)


def lapse(journalist: Journalist, now: datetime.datetime | None = None) -> JournalistEvent:
    return apply("lapse", journalist, None, "Not re-confirmed within the year.", now=now)


def reconfirm(journalist: Journalist, by: Any) -> JournalistEvent:
    return apply("reconfirm", journalist, by)


def resubmit(journalist: Journalist, by: Any) -> JournalistEvent:
    return apply("resubmit", journalist, by)

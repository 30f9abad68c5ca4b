"""The editorial workflow: THE one place for states, transitions and who may do what.

The admin (buttons, actions, ``has_change_permission``), the public preview,
views and management commands all ask this module; none of them changes
``status`` or ``publish_at`` on its own.  That way a rule ("a publisher may
not publish what they submitted themselves") is enforced once, on the
server, whatever the route.

States (``PressRelease.Status``)::

    draft ──submit──▶ in_review ──approve──▶ approved ──publish──▶ published
      ▲                   │                      │  ╲─schedule─▶ scheduled (published,
      └──────reject───────┘                      ▲               │   publish_at in future)
                                                 └─unschedule────┘
    published (public) ──withdraw──▶ withdrawn ──remove──▶ removed
    published (public) ──remove──▶ removed (published in error: 410 Gone)

Each transition is a function that (1) checks the user's permission, (2)
locks the release row with ``select_for_update()`` inside
``transaction.atomic()`` and checks the state *of the locked row*, (3)
applies the change, keeps a django-reversion revision, and (4) writes an
:class:`~releases.models.AuditLogEntry`.  Refusals raise
:class:`TransitionError` (wrong state, missing input) or Django's
:class:`~django.core.exceptions.PermissionDenied` (wrong role), both with a
message written for the person who clicked.

Roles are Django groups holding model permissions (see the ``roles`` data
migration); the rules below ask for permissions, never for group names, so
an administrator can compose roles differently.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import reversion
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from releases.models import (
    AuditLogEntry,
    ChangeNote,
    PressRelease,
    PreviewLink,
    ReleaseContact,
    ReleaseOrganisation,
)
from releases.models.preview import PREVIEW_LINK_LIFETIME

Status = PressRelease.Status
Action = AuditLogEntry.Action
User = AbstractBaseUser | AnonymousUser

PERM_VIEW = "releases.view_pressrelease"
PERM_ADD = "releases.add_pressrelease"
PERM_CHANGE = "releases.change_pressrelease"
PERM_DELETE = "releases.delete_pressrelease"
PERM_REVIEW = "releases.review_pressrelease"
PERM_PUBLISH = "releases.publish_pressrelease"

#: Fields a "restore this revision" brings back.  Status, embargo and the
#: public dates are left alone: restoring is an edit, not a way around review.
CONTENT_FIELDS = ("title", "summary", "dateline_place", "dateline_date", "body")


class TransitionError(Exception):
    """The release is not in a state that allows this, or required input is missing."""


# --------------------------------------------------------------------------
# Who may do what
# --------------------------------------------------------------------------


def _has(user: User, perm: str) -> bool:
    return bool(user and user.is_active and user.has_perm(perm))


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


def can_edit(user: User, release: PressRelease | None) -> bool:
    """May ``user`` change the content (not the state) of ``release``?

    Writers edit their own drafts (a rejected release is a draft again);
    editors edit anything not yet final; publishers may correct what is
    scheduled or published.  Withdrawn and removed releases are a public
    record and are frozen for everyone.
    """
    if release is None or release.pk is None:
        return _has(user, PERM_ADD)
    if not _has(user, PERM_CHANGE):
        return False
    status = release.status
    if status == Status.DRAFT:
        return is_author(user, release) or _has(user, PERM_REVIEW)
    if status in (Status.IN_REVIEW, Status.APPROVED):
        return _has(user, PERM_REVIEW)
    if status == Status.PUBLISHED:
        return _has(user, PERM_REVIEW) or _has(user, PERM_PUBLISH)
    return False


def check_can_edit(user: User, release: PressRelease | None) -> None:
    if can_edit(user, release):
        return
    if release is not None and release.status in (Status.WITHDRAWN, Status.REMOVED):
        raise PermissionDenied(
            f"This release is {release.get_status_display().lower()}; its content is frozen."
        )
    raise PermissionDenied("You may not edit this release in its current state.")


def can_preview(user: User) -> bool:
    return _has(user, PERM_VIEW) or _has(user, PERM_CHANGE)


def _require(user: User, perm: str, message: str) -> None:
    if not _has(user, perm):
        raise PermissionDenied(message)


def _is_scheduled(release: PressRelease, now: datetime.datetime) -> bool:
    return (
        release.status == Status.PUBLISHED
        and release.publish_at is not None
        and release.publish_at > now
    )


def _is_live(release: PressRelease, now: datetime.datetime) -> bool:
    return (
        release.status == Status.PUBLISHED
        and release.publish_at is not None
        and release.publish_at <= now
    )


def _state_name(release: PressRelease, now: datetime.datetime) -> str:
    if _is_scheduled(release, now):
        return "scheduled"
    return release.get_status_display().lower()


# --------------------------------------------------------------------------
# Checks, one per transition.  Each raises; none writes.  They run on the
# locked row inside the transition, and without a lock to decide which
# buttons to show.
# --------------------------------------------------------------------------


def _check_submit(user: User, release: PressRelease, now: datetime.datetime) -> None:
    if not _has(user, PERM_CHANGE):
        raise PermissionDenied("You do not have permission to submit releases.")
    if release.status != Status.DRAFT:
        raise TransitionError(
            f"Only a draft can be submitted for review; this release is "
            f"{_state_name(release, now)}."
        )
    if not can_edit(user, release):
        raise PermissionDenied("Only the author or an editor can submit this draft.")


def _check_review(user: User, release: PressRelease, now: datetime.datetime, verb: str) -> None:
    _require(user, PERM_REVIEW, f"Only an editor can {verb} a release.")
    if release.status != Status.IN_REVIEW:
        raise TransitionError(
            f"Only a release in review can be {verb}d; this release is {_state_name(release, now)}."
        )


def _check_approve(user: User, release: PressRelease, now: datetime.datetime) -> None:
    _check_review(user, release, now, "approve")
    if submitted_by_id(release) == user.pk:
        raise PermissionDenied(
            "You submitted this release yourself; another editor must approve it."
        )


def _check_reject(user: User, release: PressRelease, now: datetime.datetime) -> None:
    _check_review(user, release, now, "reject")


def _check_two_person_rule(user: User, release: PressRelease) -> None:
    if submitted_by_id(release) == user.pk:
        raise PermissionDenied(
            "You submitted this release yourself, so someone else must publish it. "
            "If it cannot wait, use “Force publish” and give a reason; it will be "
            "flagged for a second look."
        )


def _check_publish(user: User, release: PressRelease, now: datetime.datetime) -> None:
    _require(user, PERM_PUBLISH, "Only a publisher can publish a release.")
    if not (release.status == Status.APPROVED or _is_scheduled(release, now)):
        raise TransitionError(
            f"Only an approved or scheduled release can be published; this release is "
            f"{_state_name(release, now)}."
        )
    _check_two_person_rule(user, release)


def _check_schedule(user: User, release: PressRelease, now: datetime.datetime) -> None:
    _require(user, PERM_PUBLISH, "Only a publisher can schedule a release.")
    if not (release.status == Status.APPROVED or _is_scheduled(release, now)):
        raise TransitionError(
            f"Only an approved (or already scheduled) release can be scheduled; this release "
            f"is {_state_name(release, now)}."
        )
    _check_two_person_rule(user, release)


def _check_unschedule(user: User, release: PressRelease, now: datetime.datetime) -> None:
    _require(user, PERM_PUBLISH, "Only a publisher can unschedule a release.")
    if not _is_scheduled(release, now):
        if _is_live(release, now):
            raise TransitionError(
                "This release is already public; it cannot be unscheduled. Withdraw it instead."
            )
        raise TransitionError(
            f"Only a scheduled release can be unscheduled; this release is "
            f"{_state_name(release, now)}."
        )


def _check_force_publish(user: User, release: PressRelease, now: datetime.datetime) -> None:
    _require(user, PERM_PUBLISH, "Only a publisher can force-publish a release.")
    if release.status not in (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED):
        raise TransitionError(
            f"Only a release not yet published can be force-published; this release is "
            f"{_state_name(release, now)}."
        )


def _check_withdraw(user: User, release: PressRelease, now: datetime.datetime) -> None:
    _require(user, PERM_PUBLISH, "Only a publisher can withdraw a release.")
    if not _is_live(release, now):
        if _is_scheduled(release, now):
            raise TransitionError(
                "This release is scheduled and not yet public: unschedule it instead."
            )
        raise TransitionError(
            f"Only a published release can be withdrawn; this release is "
            f"{_state_name(release, now)}."
        )


def _check_remove(user: User, release: PressRelease, now: datetime.datetime) -> None:
    _require(user, PERM_PUBLISH, "Only a publisher can remove a release.")
    if not (_is_live(release, now) or release.status == Status.WITHDRAWN):
        raise TransitionError(
            f"Only a published or withdrawn release can be removed; this release is "
            f"{_state_name(release, now)}."
        )


@dataclass(frozen=True)
class Transition:
    """What the admin needs to draw a button: a label, what input it asks for."""

    name: str
    label: str
    check: Callable[[User, PressRelease, datetime.datetime], None]
    needs_note: str = ""  # "" (none), "optional" or "required"
    note_label: str = ""
    needs_time: bool = False
    danger: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("submit", "Submit for review", _check_submit, "optional", "Note to the editor"),
        Transition("approve", "Approve", _check_approve, "optional", "Note"),
        Transition("reject", "Reject", _check_reject, "required", "What the author should change"),
        Transition("publish", "Publish now", _check_publish),
        Transition("schedule", "Schedule", _check_schedule, needs_time=True),
        Transition("unschedule", "Unschedule", _check_unschedule, "optional", "Reason"),
        Transition(
            "withdraw",
            "Withdraw",
            _check_withdraw,
            "required",
            "Public explanation (shown on the page)",
            danger=True,
        ),
        Transition(
            "remove",
            "Remove (published in error)",
            _check_remove,
            "required",
            "Reason (internal)",
            danger=True,
        ),
        Transition(
            "force_publish",
            "Force publish",
            _check_force_publish,
            "required",
            "Why this cannot wait for a second person",
            needs_time=True,
            danger=True,
        ),
    )
}


def available_transitions(
    user: User, release: PressRelease, now: datetime.datetime | None = None
) -> list[Transition]:
    """The transitions ``user`` may apply to ``release`` now (to draw buttons).

    Force-publish is offered only when the ordinary route is closed to this
    user, so that the flagged override is never the obvious button.
    """
    now = now or timezone.now()
    allowed = []
    for transition in TRANSITIONS.values():
        try:
            transition.check(user, release, now)
        except (TransitionError, PermissionDenied):
            continue
        allowed.append(transition)
    names = {t.name for t in allowed}
    if "force_publish" in names and names & {"publish", "schedule"}:
        allowed = [t for t in allowed if t.name != "force_publish"]
    return allowed


# --------------------------------------------------------------------------
# Applying transitions
# --------------------------------------------------------------------------


def _audit(
    release: PressRelease,
    user: User,
    action: str,
    *,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    publish_at: datetime.datetime | None = None,
    flag: bool = False,
) -> AuditLogEntry:
    return AuditLogEntry.objects.create(
        release=release,
        release_title=release.title[:300],
        action=action,
        user=user if user and user.pk else None,
        from_status=from_status,
        to_status=to_status,
        note=note,
        publish_at=publish_at,
        needs_second_look=flag,
    )


def _copy_state(source: PressRelease, target: PressRelease) -> None:
    """Give the caller's instance the saved values (so it is not stale)."""
    if source is target:
        return
    for field in PressRelease._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _clean_note(note: str | None, required_message: str | None) -> str:
    note = (note or "").strip()
    if required_message and not note:
        raise TransitionError(required_message)
    return note


def _run(
    release: PressRelease,
    user: User,
    *,
    check: Callable[[User, PressRelease, datetime.datetime], None],
    action: str,
    apply: Callable[[PressRelease, datetime.datetime], None],
    note: str = "",
    flag: bool = False,
    now: datetime.datetime | None = None,
) -> PressRelease:
    """Lock, check, apply, keep a revision, audit — all or nothing."""
    if release.pk is None:
        raise TransitionError("Save the release before changing its state.")
    with transaction.atomic(), reversion.create_revision():
        locked = PressRelease.objects.select_for_update().get(pk=release.pk)
        now = now or timezone.now()
        check(user, locked, now)
        from_status = locked.status
        apply(locked, now)
        if user and user.pk:
            locked.updated_by = user
        locked.save()
        label = AuditLogEntry.Action(action).label
        reversion.set_user(user if user and user.pk else None)
        reversion.set_comment(f"{label}: {note}" if note else label)
        _audit(
            locked,
            user,
            action,
            from_status=from_status,
            to_status=locked.status,
            note=note,
            publish_at=locked.publish_at if locked.status == Status.PUBLISHED else None,
            flag=flag,
        )
    _copy_state(locked, release)
    return release


def submit(release: PressRelease, user: User, *, note: str = "") -> PressRelease:
    """Draft → in review: the author asks an editor to look at it."""

    def apply(r: PressRelease, now: datetime.datetime) -> None:
        r.status = Status.IN_REVIEW

    return _run(
        release,
        user,
        check=_check_submit,
        action=Action.SUBMIT,
        apply=apply,
        note=_clean_note(note, None),
    )


def approve(release: PressRelease, user: User, *, note: str = "") -> PressRelease:
    """In review → approved: ready for a publisher."""

    def apply(r: PressRelease, now: datetime.datetime) -> None:
        r.status = Status.APPROVED

    return _run(
        release,
        user,
        check=_check_approve,
        action=Action.APPROVE,
        apply=apply,
        note=_clean_note(note, None),
    )


def reject(release: PressRelease, user: User, *, note: str) -> PressRelease:
    """In review → draft, with a note telling the author what to change."""
    _check_reject_permission_first(user)
    note = _clean_note(note, "Say what the author should change: a rejection needs a note.")

    def apply(r: PressRelease, now: datetime.datetime) -> None:
        r.status = Status.DRAFT

    return _run(release, user, check=_check_reject, action=Action.REJECT, apply=apply, note=note)


def _check_reject_permission_first(user: User) -> None:
    # A writer clicking "reject" should hear "not allowed", not "note missing".
    _require(user, PERM_REVIEW, "Only an editor can reject a release.")


def _validate_future(
    publish_at: datetime.datetime | None, now: datetime.datetime
) -> datetime.datetime:
    if publish_at is None:
        raise TransitionError("Give the date and time the embargo lifts.")
    if timezone.is_naive(publish_at):
        # A time typed in the form is newsroom time (settings.TIME_ZONE).
        publish_at = timezone.make_aware(publish_at)
    if publish_at <= now:
        local = timezone.localtime(publish_at)
        raise TransitionError(
            f"The embargo time {local:%d %b %Y %H:%M} ({local.tzname()}) is in the past. "
            "Choose a future time, or use “Publish now”."
        )
    return publish_at


def publish(
    release: PressRelease, user: User, *, now: datetime.datetime | None = None
) -> PressRelease:
    """Approved (or scheduled) → published, public from this instant."""

    def apply(r: PressRelease, at: datetime.datetime) -> None:
        r.status = Status.PUBLISHED
        r.publish_at = at
        if r.first_published_at is None or r.first_published_at > at:
            r.first_published_at = at

    return _run(release, user, check=_check_publish, action=Action.PUBLISH, apply=apply, now=now)


def schedule(
    release: PressRelease,
    user: User,
    *,
    publish_at: datetime.datetime | None,
    now: datetime.datetime | None = None,
) -> PressRelease:
    """Approved → published with a future ``publish_at`` (embargoed until then).

    ``published()`` hides it until the instant, so no job has to "go live".
    """
    _require(user, PERM_PUBLISH, "Only a publisher can schedule a release.")
    when = _validate_future(publish_at, now or timezone.now())

    def apply(r: PressRelease, at: datetime.datetime) -> None:
        r.status = Status.PUBLISHED
        r.publish_at = when
        if r.first_published_at is not None and r.first_published_at > at:
            r.first_published_at = None  # a previous, never-reached schedule
        r.first_published_at = r.first_published_at or when

    local = timezone.localtime(when)
    return _run(
        release,
        user,
        check=_check_schedule,
        action=Action.SCHEDULE,
        apply=apply,
        note=f"Embargo until {local:%d %b %Y %H:%M} {local.tzname()}",
        now=now,
    )


def unschedule(
    release: PressRelease, user: User, *, note: str = "", now: datetime.datetime | None = None
) -> PressRelease:
    """Scheduled → approved: the embargo is lifted from the calendar."""

    def apply(r: PressRelease, at: datetime.datetime) -> None:
        r.status = Status.APPROVED
        if r.first_published_at is not None and r.first_published_at > at:
            r.first_published_at = None
        r.publish_at = None

    return _run(
        release,
        user,
        check=_check_unschedule,
        action=Action.UNSCHEDULE,
        apply=apply,
        note=_clean_note(note, None),
        now=now,
    )


def force_publish(
    release: PressRelease,
    user: User,
    *,
    reason: str,
    publish_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> PressRelease:
    """Publish (or schedule) without the second person, with a reason.

    For the emergency where nobody else is available.  The audit entry is
    flagged ``needs_second_look`` and listed in the admin until checked.
    """
    _require(user, PERM_PUBLISH, "Only a publisher can force-publish a release.")
    reason = _clean_note(reason, "Force-publishing needs a reason; it is logged for a second look.")
    when = _validate_future(publish_at, now or timezone.now()) if publish_at else None

    def apply(r: PressRelease, at: datetime.datetime) -> None:
        r.status = Status.PUBLISHED
        r.publish_at = when or at
        if r.first_published_at is None or r.first_published_at > at:
            r.first_published_at = r.publish_at

    return _run(
        release,
        user,
        check=_check_force_publish,
        action=Action.FORCE_PUBLISH,
        apply=apply,
        note=reason,
        flag=True,
        now=now,
    )


def withdraw(
    release: PressRelease, user: User, *, explanation: str, now: datetime.datetime | None = None
) -> PressRelease:
    """Published → withdrawn: the page stays, marked, with a public explanation.

    It leaves every list, feed and search (they use ``published()``).
    """
    _require(user, PERM_PUBLISH, "Only a publisher can withdraw a release.")
    explanation = _clean_note(
        explanation, "Write the public explanation: readers are told why it was withdrawn."
    )

    def apply(r: PressRelease, at: datetime.datetime) -> None:
        r.status = Status.WITHDRAWN
        r.withdrawn_at = at
        r.withdrawal_reason = explanation

    return _run(
        release,
        user,
        check=_check_withdraw,
        action=Action.WITHDRAW,
        apply=apply,
        note=explanation,
        now=now,
    )


def remove(
    release: PressRelease, user: User, *, reason: str, now: datetime.datetime | None = None
) -> PressRelease:
    """Published in error → removed: its URL answers 410 Gone."""
    _require(user, PERM_PUBLISH, "Only a publisher can remove a release.")
    reason = _clean_note(reason, "Say why the release is being removed (kept in the audit log).")

    def apply(r: PressRelease, at: datetime.datetime) -> None:
        r.status = Status.REMOVED

    return _run(
        release, user, check=_check_remove, action=Action.REMOVE, apply=apply, note=reason, now=now
    )


def apply_transition(
    name: str, release: PressRelease, user: User, data: dict[str, object]
) -> PressRelease:
    """Dispatch a transition by name with the input of a form (admin buttons, commands)."""
    note = str(data.get("note") or "")
    publish_at = data.get("publish_at")
    if name == "submit":
        return submit(release, user, note=note)
    if name == "approve":
        return approve(release, user, note=note)
    if name == "reject":
        return reject(release, user, note=note)
    if name == "publish":
        return publish(release, user)
    if name == "schedule":
        return schedule(release, user, publish_at=publish_at)  # type: ignore[arg-type]
    if name == "unschedule":
        return unschedule(release, user, note=note)
    if name == "force_publish":
        return force_publish(release, user, reason=note, publish_at=publish_at)  # type: ignore[arg-type]
    if name == "withdraw":
        return withdraw(release, user, explanation=note)
    if name == "remove":
        return remove(release, user, reason=note)
    raise TransitionError(f"Unknown action “{name}”.")


# --------------------------------------------------------------------------
# Edits, corrections, restores
# --------------------------------------------------------------------------


def needs_change_note(release: PressRelease, now: datetime.datetime | None = None) -> bool:
    """Edits of a release the public has seen are either minor or noted."""
    return release.pk is not None and _is_live(release, now or timezone.now())


def record_edit(
    release: PressRelease,
    user: User,
    *,
    created: bool = False,
    major: bool = False,
    change_note: str = "",
    now: datetime.datetime | None = None,
) -> AuditLogEntry:
    """Record a content edit made through a form (call it in the save's transaction).

    A *major* change to a public release gets a public :class:`ChangeNote`
    and moves ``last_updated_at``; a minor one leaves no public trace.
    """
    now = now or timezone.now()
    if created:
        return _audit(release, user, Action.CREATE, to_status=release.status)
    if major and needs_change_note(release, now):
        note = _clean_note(
            change_note, "A major change needs a public change note saying what changed."
        )
        ChangeNote.objects.create(release=release, note=note, created_at=now, created_by=user)
        release.last_updated_at = now
        release.save(update_fields=["last_updated_at"])
        return _audit(
            release,
            user,
            Action.CORRECT,
            from_status=release.status,
            to_status=release.status,
            note=note,
        )
    return _audit(release, user, Action.EDIT, from_status=release.status, to_status=release.status)


def versions_of(release: PressRelease):  # -> QuerySet[Version]
    return (
        Version.objects.get_for_object(release)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def restore_revision(
    release: PressRelease,
    version: Version,
    user: User,
    *,
    change_note: str = "",
    now: datetime.datetime | None = None,
) -> PressRelease:
    """Bring back the *content* of an earlier revision (text, issuers, contacts).

    Status, embargo and public dates are left as they are, so restoring is an
    edit like any other: it cannot publish or unpublish anything.  On a
    public release a change note makes it a major change.
    """
    if str(version.object_id) != str(release.pk) or version._model is not PressRelease:
        raise TransitionError("That revision belongs to another release.")
    with transaction.atomic(), reversion.create_revision():
        locked = PressRelease.objects.select_for_update().get(pk=release.pk)
        check_can_edit(user, locked)
        data = version.field_dict
        for name in CONTENT_FIELDS:
            if name in data:
                setattr(locked, name, data[name])
        if user and user.pk:
            locked.updated_by = user
        locked.save()
        if "partnerships" in data:
            locked.partnerships.set(data["partnerships"])
        _restore_links(locked, version)
        when = timezone.localtime(version.revision.date_created)
        comment = f"Restored the revision of {when:%d %b %Y %H:%M}"
        reversion.set_user(user if user and user.pk else None)
        reversion.set_comment(comment)
        note = (change_note or "").strip()
        if note and needs_change_note(locked, now):
            record_edit(locked, user, major=True, change_note=note, now=now)
        _audit(
            locked,
            user,
            Action.RESTORE,
            from_status=locked.status,
            to_status=locked.status,
            note=f"{comment}. {note}".strip() if note else comment,
        )
    _copy_state(locked, release)
    return release


def _restore_links(release: PressRelease, version: Version) -> None:
    """Replace issuers and contacts with the ones saved in ``version``'s revision."""
    from contacts.models import MediaContact, Organisation

    siblings = list(version.revision.version_set.all())
    issuers = [
        v.field_dict
        for v in siblings
        if v._model is ReleaseOrganisation and v.field_dict.get("release_id") == release.pk
    ]
    contacts = [
        v.field_dict
        for v in siblings
        if v._model is ReleaseContact and v.field_dict.get("release_id") == release.pk
    ]
    live_orgs = set(
        Organisation.objects.filter(pk__in=[d["organisation_id"] for d in issuers]).values_list(
            "pk", flat=True
        )
    )
    live_contacts = set(
        MediaContact.objects.filter(pk__in=[d["contact_id"] for d in contacts]).values_list(
            "pk", flat=True
        )
    )
    release.issuers.all().delete()
    release.contact_links.all().delete()
    ReleaseOrganisation.objects.bulk_create(
        ReleaseOrganisation(release=release, organisation_id=d["organisation_id"], order=d["order"])
        for d in issuers
        if d["organisation_id"] in live_orgs
    )
    ReleaseContact.objects.bulk_create(
        ReleaseContact(
            release=release, contact_id=d["contact_id"], role=d["role"], order=d["order"]
        )
        for d in contacts
        if d["contact_id"] in live_contacts
    )


def after_recover(release: PressRelease, user: User) -> PressRelease:
    """A deleted release brought back from its last revision returns as a draft.

    Recovery must not put a page back in public without review: the status
    goes back to draft and the embargo is cleared; the audit log says so.
    """
    from_status = release.status
    release.status = Status.DRAFT
    release.publish_at = None
    release.withdrawn_at = None
    if user and user.pk:
        release.updated_by = user
    release.save()
    _audit(
        release,
        user,
        Action.RECOVER,
        from_status=from_status,
        to_status=release.status,
        note="Recovered after deletion; back to draft for review.",
    )
    return release


# --------------------------------------------------------------------------
# Preview links
# --------------------------------------------------------------------------


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
    _audit(
        release,
        user,
        Action.PREVIEW_LINK,
        from_status=release.status,
        to_status=release.status,
        note=f"Valid until {local:%d %b %Y %H:%M} {local.tzname()}",
    )
    return link


def revoke_preview_link(link: PreviewLink, user: User) -> PreviewLink:
    if not can_preview(user):
        raise PermissionDenied("You may not revoke preview links.")
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = user
        link.save(update_fields=["revoked_at", "revoked_by"])
        _audit(
            link.release,
            user,
            Action.REVOKE_PREVIEW_LINK,
            from_status=link.release.status,
            to_status=link.release.status,
        )
    return link

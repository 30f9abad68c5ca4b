"""What every transition shares: the :class:`Transition` base class and its :meth:`~Transition.run`.

A transition subclass *declares* what it is (name, label, the permission it
asks for, the input it needs) and writes two methods: ``check_state`` (may
it happen now?) and ``apply`` (what changes).  :meth:`Transition.run` does
the rest identically for all of them, so that the guarantees below cannot
be forgotten by the next transition someone adds:

1. the permission is asked before the input is validated, whenever the
   input could be refused (someone not allowed hears "not allowed", not
   "note missing");
2. the release row is locked with ``select_for_update()`` inside
   ``transaction.atomic()``, and the check runs on *the locked row*, not on
   the caller's possibly stale copy;
3. the change is saved with a django-reversion revision whose comment says
   what happened;
4. an :class:`~releases.models.AuditLogEntry` is written in the same
   transaction, then the transition's :meth:`~Transition.after` (its
   consequences, e.g. revoking preview links): all of it happens, or none.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import reversion
from django.db import transaction
from django.utils import timezone

from core.dates import house_datetime
from releases.models import AuditLogEntry, PressRelease
from releases.workflow.permissions import Status, User, require


class TransitionError(Exception):
    """The release is not in a state that allows this, or required input is missing."""


# --------------------------------------------------------------------------
# Helpers shared with revisions.py and previews.py
# --------------------------------------------------------------------------


def audit(
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
    """Append to the audit log (the title is copied: the entry outlives the release)."""
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


def copy_state(source: PressRelease, target: PressRelease) -> None:
    """Give the caller's instance the saved values (so it is not stale)."""
    if source is target:
        return
    for field in PressRelease._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def clean_note(note: str | None, required_message: str | None) -> str:
    """The note stripped; refused with ``required_message`` if one is required and it is empty."""
    note = (note or "").strip()
    if required_message and not note:
        raise TransitionError(required_message)
    return note


#: An embargo further ahead than this is a typo (2205 for 2025), not a plan;
#: refusing it also keeps every instant we store far from the calendar's end.
MAX_EMBARGO_YEARS = 5
MAX_EMBARGO_AHEAD = datetime.timedelta(days=round(MAX_EMBARGO_YEARS * 365.25))

#: How much of a refused text a message repeats (a 10 000-character paste must not).
_SHOWN = 40


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _check_range(value: datetime.datetime, typed: str) -> datetime.datetime:
    """``value`` if it exists in UTC and in newsroom time, else a refusal.

    ``9999-12-31T23:59:59-12:00`` and ``0001-01-01T00:00+14:00`` are valid
    ISO 8601 but fall off Python's calendar once converted to UTC (for the
    database) or to newsroom time (for every message and page): an
    ``OverflowError`` there was a 500.
    """
    try:
        value.astimezone(datetime.UTC)
        timezone.localtime(value)
    except (OverflowError, ValueError):
        raise TransitionError(
            f"The embargo time “{_shown(typed)}” is out of range: choose a time between now "
            f"and {MAX_EMBARGO_YEARS} years ahead."
        ) from None
    return value


def parse_instant(raw: str | None) -> datetime.datetime | None:
    """The embargo instant a person typed (admin button, command), or ``None`` if blank.

    ISO 8601 (``2025-10-18T09:00``, as a ``datetime-local`` field sends it;
    an offset such as ``+05:00`` is honoured); a time without an offset is
    newsroom time (``TIME_ZONE``), as the form says.  Anything else — not a
    date, or a date off the calendar once converted — is a
    :class:`TransitionError` with a message, never another exception.
    Whether the instant is acceptable as an embargo is
    :func:`validate_future`'s question.
    """
    text = (raw or "").strip()
    if not text:
        return None
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise TransitionError(
            f"“{_shown(text)}” is not a date and time (use YYYY-MM-DD HH:MM)."
        ) from None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=timezone.get_default_timezone())
    return _check_range(value, text)


def validate_future(
    publish_at: datetime.datetime | None, now: datetime.datetime
) -> datetime.datetime:
    """An embargo instant must be given, in the future and at most five years ahead.

    A naive time is newsroom time.  The range is checked first, so that no
    message below has to print an instant that cannot be converted.
    """
    if publish_at is None:
        raise TransitionError("Give the date and time the embargo lifts.")
    if timezone.is_naive(publish_at):
        # A time typed in the form is newsroom time (settings.TIME_ZONE).
        publish_at = timezone.make_aware(publish_at)
    publish_at = _check_range(publish_at, publish_at.isoformat())
    if publish_at <= now:
        raise TransitionError(
            f"The embargo time {house_datetime(publish_at)} is in the past. "
            "Choose a future time, or use “Publish now”."
        )
    if publish_at - now > MAX_EMBARGO_AHEAD:
        raise TransitionError(
            f"The embargo time {house_datetime(publish_at)} is more than "
            f"{MAX_EMBARGO_YEARS} years ahead. Check the year."
        )
    return publish_at


# --------------------------------------------------------------------------
# The base class
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class TransitionInput:
    """What the person gave, once checked: the stripped note, the aware embargo time."""

    note: str = ""
    publish_at: datetime.datetime | None = None


class Transition:
    """One way a release changes state: who may, from which state, with what input.

    The class attributes are all the admin needs to draw a button and a bulk
    action; :meth:`check` and :meth:`run` are all a caller needs to apply it.
    Register a subclass with :func:`releases.workflow.registry.register` and
    it is offered, applied and audited like the others.
    """

    #: The key in the registry and in the admin's URL (``…/transition/<name>/``).
    name: ClassVar[str] = ""
    #: The button's text; messages about the transition start with it.
    label: ClassVar[str] = ""
    #: The :class:`AuditLogEntry.Action` written; its label is the revision comment.
    action: ClassVar[str] = ""
    #: The permission asked first, and the refusal (for the person who clicked) without it.
    permission: ClassVar[str] = ""
    permission_message: ClassVar[str] = ""
    #: ``""`` (no note), ``"optional"`` or ``"required"``, and the label of its field.
    needs_note: ClassVar[str] = ""
    note_label: ClassVar[str] = ""
    #: The refusal when a required note is left empty.
    note_missing_message: ClassVar[str] = ""
    #: Asks for an embargo time.  Unless ``time_required``, an empty time means "now".
    needs_time: ClassVar[bool] = False
    time_required: ClassVar[bool] = True
    #: Drawn as a warning button: it takes something off the public site or overrides a rule.
    danger: ClassVar[bool] = False
    #: Flags the audit entry ``needs_second_look``: for overrides an administrator should see.
    second_look: ClassVar[bool] = False
    #: Names of the ordinary routes this one stands in for: it is offered only
    #: while none of them is open to the user, so an override is never the obvious button.
    fallback_for: ClassVar[tuple[str, ...]] = ()
    #: The description of the admin's bulk action for it; ``""``: no bulk action.
    #: Only a transition that can run without input may have one.
    bulk_label: ClassVar[str] = ""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"

    @property
    def needs_input(self) -> bool:
        """Whether it cannot run without something typed (so no bulk action, no bare call)."""
        return self.needs_note == "required" or (self.needs_time and self.time_required)

    # -- the two methods a transition writes -------------------------------

    def check_state(self, user: User, release: PressRelease, now: datetime.datetime) -> None:
        """Raise :class:`TransitionError` (or ``PermissionDenied``) if ``release`` is not ready."""
        raise NotImplementedError(f"{type(self).__name__} must say when it may happen.")

    def apply(self, release: PressRelease, now: datetime.datetime, given: TransitionInput) -> None:
        """Change ``release`` in memory; :meth:`run` saves and audits it."""
        raise NotImplementedError(f"{type(self).__name__} must say what it changes.")

    # -- shared behaviour ----------------------------------------------------

    def check(self, user: User, release: PressRelease, now: datetime.datetime) -> None:
        """May ``user`` apply this to ``release`` at ``now``?  Raises; never writes.

        It runs on the locked row inside :meth:`run`, and without a lock to
        decide which buttons to show.
        """
        require(user, self.permission, self.permission_message)
        self.check_state(user, release, now)

    def read_input(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The keyword arguments of :meth:`run` this transition takes from a form's ``data``.

        A transition reads only what it asks for, so a stray field (a note
        posted to "Publish now") changes nothing.
        """
        given: dict[str, Any] = {}
        if self.needs_note:
            given["note"] = str(data.get("note") or "")
        if self.needs_time:
            # A datetime, or the text as typed: clean_input parses it after
            # asking for the permission.
            given["publish_at"] = data.get("publish_at")
        return given

    def clean_input(
        self,
        user: User,
        now: datetime.datetime,
        *,
        note: str | None = "",
        publish_at: datetime.datetime | str | None = None,
    ) -> TransitionInput:
        """Validate the input before anything is locked; raises :class:`TransitionError`.

        ``publish_at`` may be the text a person typed (:func:`parse_instant`
        reads it), so that every route refuses a bad time in the same words.
        """
        if self.needs_input:
            # Someone not allowed should hear "not allowed", not "note missing".
            require(user, self.permission, self.permission_message)
        required = self.note_missing_message if self.needs_note == "required" else None
        cleaned_note = clean_note(note, required) if self.needs_note else ""
        when = None
        if self.needs_time:
            typed = parse_instant(publish_at) if isinstance(publish_at, str) else publish_at
            if self.time_required or typed is not None:
                when = validate_future(typed, now)
        return TransitionInput(note=cleaned_note, publish_at=when)

    def after(
        self, release: PressRelease, user: User, now: datetime.datetime, given: TransitionInput
    ) -> None:
        """What else must change with the state, in the same transaction (default: nothing).

        Runs after the transition's own audit entry, on the saved row, so
        that a follow-up (revoking preview links on withdrawal) is logged
        after the change that caused it and rolls back with it.
        """

    def audit_note(self, given: TransitionInput) -> str:
        """The note kept in the audit log and the revision comment."""
        return given.note

    def run(
        self,
        release: PressRelease,
        user: User,
        *,
        note: str | None = "",
        publish_at: datetime.datetime | str | None = None,
        now: datetime.datetime | None = None,
    ) -> PressRelease:
        """Lock, check, apply, keep a revision, audit — all or nothing.

        ``release`` is updated in place with the saved values and returned.
        """
        given = self.clean_input(user, now or timezone.now(), note=note, publish_at=publish_at)
        if release.pk is None:
            raise TransitionError("Save the release before changing its state.")
        with transaction.atomic(), reversion.create_revision():
            locked = PressRelease.objects.select_for_update().get(pk=release.pk)
            # Read the clock after the lock: a wait for another click must not
            # leave us judging "scheduled or live" by an instant already past.
            at = now or timezone.now()
            self.check(user, locked, at)
            from_status = locked.status
            self.apply(locked, at, given)
            if user and user.pk:
                locked.updated_by = user
            locked.save()
            audit_note = self.audit_note(given)
            label = AuditLogEntry.Action(self.action).label
            reversion.set_user(user if user and user.pk else None)
            reversion.set_comment(f"{label}: {audit_note}" if audit_note else label)
            audit(
                locked,
                user,
                self.action,
                from_status=from_status,
                to_status=locked.status,
                note=audit_note,
                publish_at=locked.publish_at if locked.status == Status.PUBLISHED else None,
                flag=self.second_look,
            )
            self.after(locked, user, at, given)
        copy_state(locked, release)
        return release

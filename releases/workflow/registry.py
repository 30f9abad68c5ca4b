"""The one list of transitions, and everything derived from it.

The admin's buttons (:func:`available_transitions`), its bulk actions
(:func:`bulk_transitions`) and the dispatch by name (:func:`apply_transition`)
all read this registry.  So a transition exists in exactly one place, its
class, and adding one is writing that class with ``@register`` above it:
nothing else (no dict, no ``if`` chain, no admin action) has to be kept in
step.

:func:`register` refuses a class that lacks what the admin and the audit log
rely on, at import time, rather than on the day someone clicks the button.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils import timezone

from releases.models import AuditLogEntry, PressRelease
from releases.workflow.base import Transition, TransitionError
from releases.workflow.permissions import User

T = TypeVar("T", bound=type[Transition])

_registry: dict[str, Transition] = {}

#: name → transition, in the order they were registered, which is the order
#: of the admin's buttons.  A read-only view: change it with :func:`register`.
TRANSITIONS: Mapping[str, Transition] = MappingProxyType(_registry)

_NOTE_KINDS = ("", "optional", "required")


def _problems(transition: Transition) -> list[str]:
    """What ``transition`` lacks for the admin, the audit log or the registry."""
    cls = type(transition)
    problems = []
    if not transition.name:
        problems.append("it has no name")
    elif transition.name in _registry:
        problems.append(f"the name {transition.name!r} is taken by {_registry[transition.name]!r}")
    if not transition.label:
        problems.append("it has no label for its button")
    if transition.action not in AuditLogEntry.Action.values:
        problems.append(f"its action {transition.action!r} is not an AuditLogEntry.Action")
    if not (transition.permission and transition.permission_message):
        problems.append("it asks for no permission (or gives no refusal message)")
    if cls.check is Transition.check and cls.check_state is Transition.check_state:
        problems.append("it does not say when it may happen (check_state)")
    if cls.apply is Transition.apply:
        problems.append("it does not say what it changes (apply)")
    if transition.needs_note not in _NOTE_KINDS:
        problems.append(f"needs_note must be one of {_NOTE_KINDS}")
    elif transition.needs_note and not transition.note_label:
        problems.append("its note has no label")
    if transition.needs_note == "required" and not transition.note_missing_message:
        problems.append("it requires a note but has no message for a missing one")
    if transition.bulk_label and transition.needs_input:
        problems.append("a bulk action cannot ask for a note or a time")
    return problems


def register(cls: T) -> T:
    """Add a transition class to the registry (use it as a class decorator).

    Raises :class:`~django.core.exceptions.ImproperlyConfigured` if the class
    is incomplete or its name is taken.
    """
    transition = cls()
    problems = _problems(transition)
    if problems:
        raise ImproperlyConfigured(f"Cannot register {cls.__name__}: {'; '.join(problems)}.")
    _registry[transition.name] = transition
    return cls


def unregister(name: str) -> Transition:
    """Take a transition out of the registry (for tests and plugins); returns it."""
    return _registry.pop(name)


def get_transition(name: str) -> Transition:
    """The registered transition called ``name``; an unknown name is a refusal, not a crash."""
    try:
        return _registry[name]
    except KeyError:
        raise TransitionError(f"Unknown action “{name}”.") from None


def available_transitions(
    user: User, release: PressRelease, now: datetime.datetime | None = None
) -> list[Transition]:
    """The transitions ``user`` may apply to ``release`` now (to draw buttons).

    A transition with ``fallback_for`` (force-publish) is offered only when
    the ordinary routes it names are closed to this user, so that the
    flagged override is never the obvious button.
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
    return [t for t in allowed if not names.intersection(t.fallback_for)]


def bulk_transitions() -> list[Transition]:
    """The transitions the admin offers as bulk actions on the list of releases."""
    return [t for t in TRANSITIONS.values() if t.bulk_label]


def apply_transition(
    name: str, release: PressRelease, user: User, data: Mapping[str, Any]
) -> PressRelease:
    """Dispatch a transition by name with the input of a form (admin buttons, commands).

    Each transition takes from ``data`` only what it asks for (``note``,
    ``publish_at``); see :meth:`Transition.read_input`.
    """
    transition = get_transition(name)
    return transition.run(release, user, **transition.read_input(data))

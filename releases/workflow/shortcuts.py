"""The transitions as plain functions, for code that knows which one it wants.

``workflow.withdraw(release, user, explanation=...)`` reads better in a
test, a command or a data fix than ``apply_transition("withdraw", ...)``,
and its keyword says what the note is *for* (a public explanation, a
reason kept in the log).  Each function is one line over the registered
transition: the rules live in the classes of ``transitions.py``, not here.
"""

from __future__ import annotations

import datetime

from releases.models import PressRelease
from releases.workflow.permissions import User
from releases.workflow.registry import get_transition


def submit(release: PressRelease, user: User, *, note: str = "") -> PressRelease:
    """Draft → in review: the author asks an editor to look at it."""
    return get_transition("submit").run(release, user, note=note)


def approve(release: PressRelease, user: User, *, note: str = "") -> PressRelease:
    """In review → approved: ready for a publisher."""
    return get_transition("approve").run(release, user, note=note)


def reject(release: PressRelease, user: User, *, note: str) -> PressRelease:
    """In review → draft, with a note telling the author what to change."""
    return get_transition("reject").run(release, user, note=note)


def publish(
    release: PressRelease, user: User, *, now: datetime.datetime | None = None
) -> PressRelease:
    """Approved (or scheduled) → published, public from this instant."""
    return get_transition("publish").run(release, user, now=now)


def schedule(
    release: PressRelease,
    user: User,
    *,
    publish_at: datetime.datetime | None,
    now: datetime.datetime | None = None,
) -> PressRelease:
    """Approved → published with a future ``publish_at`` (embargoed until then)."""
    return get_transition("schedule").run(release, user, publish_at=publish_at, now=now)


def unschedule(
    release: PressRelease, user: User, *, note: str = "", now: datetime.datetime | None = None
) -> PressRelease:
    """Scheduled → approved: the embargo is lifted from the calendar."""
    return get_transition("unschedule").run(release, user, note=note, now=now)


def force_publish(
    release: PressRelease,
    user: User,
    *,
    reason: str,
    publish_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> PressRelease:
    """Publish (or schedule) without the second person, with a reason; flagged for a second look."""
    return get_transition("force_publish").run(
        release, user, note=reason, publish_at=publish_at, now=now
    )


def withdraw(
    release: PressRelease, user: User, *, explanation: str, now: datetime.datetime | None = None
) -> PressRelease:
    """Published → withdrawn: the page stays, marked, with a public explanation."""
    return get_transition("withdraw").run(release, user, note=explanation, now=now)


def remove(
    release: PressRelease, user: User, *, reason: str, now: datetime.datetime | None = None
) -> PressRelease:
    """Published in error → removed: its URL answers 410 Gone."""
    return get_transition("remove").run(release, user, note=reason, now=now)

"""The nine transitions of the editorial workflow, one class each.

States (``PressRelease.Status``)::

    draft ──submit──▶ in_review ──approve──▶ approved ──publish──▶ published
      ▲                   │                      │  ╲─schedule─▶ scheduled (published,
      └──────reject───────┘                      ▲               │   publish_at in future)
                                                 └─unschedule────┘
    published (public) ──withdraw──▶ withdrawn ──remove──▶ removed
    published (public) ──remove──▶ removed (published in error: 410 Gone)

Withdrawing or removing also revokes the release's open preview links.

Each class holds everything about its transition: who may (``permission``
and ``check_state``), what it asks for (``needs_note``, ``needs_time``),
what it changes (``apply``) and what the audit log calls it (``action``).
Locking, the revision and the audit entry are :meth:`Transition.run`'s job.

The classes are registered in the order the admin draws their buttons.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied

from core.dates import house_datetime
from releases.models import PressRelease
from releases.workflow.base import Transition, TransitionError, TransitionInput
from releases.workflow.permissions import (
    PERM_CHANGE,
    PERM_PUBLISH,
    PERM_REVIEW,
    Action,
    Status,
    User,
    can_edit,
    check_two_person_rule,
    is_live,
    is_scheduled,
    state_name,
    submitted_by_id,
)
from releases.workflow.previews import revoke_open_links
from releases.workflow.registry import register


def _check_in_review(release: PressRelease, now: datetime.datetime, verb: str) -> None:
    if release.status != Status.IN_REVIEW:
        raise TransitionError(
            f"Only a release in review can be {verb}d; this release is {state_name(release, now)}."
        )


@register
class Submit(Transition):
    """Draft → in review: the author asks an editor to look at it."""

    name = "submit"
    label = "Submit for review"
    action = Action.SUBMIT
    permission = PERM_CHANGE
    permission_message = "You do not have permission to submit releases."
    needs_note = "optional"
    note_label = "Note to the editor"
    bulk_label = "Submit selected drafts for review"
    consequence = (
        "The release goes to the editors for review. You can no longer edit it until an "
        "editor approves it or sends it back to you."
    )

    def check_state(self, user: User, release: PressRelease, now: datetime.datetime) -> None:
        if release.status != Status.DRAFT:
            raise TransitionError(
                f"Only a draft can be submitted for review; this release is "
                f"{state_name(release, now)}."
            )
        if not can_edit(user, release):
            raise PermissionDenied("Only the author or an editor can submit this draft.")

    def apply(self, release: PressRelease, now: datetime.datetime, given: TransitionInput) -> None:
        release.status = Status.IN_REVIEW


@register
class Approve(Transition):
    """In review → approved: ready for a publisher, once a second editor has read it."""

    name = "approve"
    label = "Approve"
    action = Action.APPROVE
    permission = PERM_REVIEW
    permission_message = "Only an editor can approve a release."
    needs_note = "optional"
    note_label = "Note"
    bulk_label = "Approve selected releases in review"
    consequence = (
        "The release is ready for a publisher to publish or schedule. It is not public yet."
    )

    def check_state(self, user: User, release: PressRelease, now: datetime.datetime) -> None:
        _check_in_review(release, now, "approve")
        if submitted_by_id(release) == user.pk:
            raise PermissionDenied(
                "You submitted this release yourself; another editor must approve it."
            )

    def apply(self, release: PressRelease, now: datetime.datetime, given: TransitionInput) -> None:
        release.status = Status.APPROVED


@register
class Reject(Transition):
    """In review → draft, with a note telling the author what to change."""

    name = "reject"
    label = "Reject"
    action = Action.REJECT
    permission = PERM_REVIEW
    permission_message = "Only an editor can reject a release."
    needs_note = "required"
    note_label = "What the author should change"
    note_missing_message = "Say what the author should change: a rejection needs a note."
    consequence = "The release goes back to its author as a draft, with your note."

    def check_state(self, user: User, release: PressRelease, now: datetime.datetime) -> None:
        _check_in_review(release, now, "reject")

    def apply(self, release: PressRelease, now: datetime.datetime, given: TransitionInput) -> None:
        release.status = Status.DRAFT


def _check_approved_or_scheduled(release: PressRelease, now: datetime.datetime, what: str) -> None:
    if not (release.status == Status.APPROVED or is_scheduled(release, now)):
        raise TransitionError(f"{what}; this release is {state_name(release, now)}.")


@register
class Publish(Transition):
    """Approved (or scheduled) → published, public from this instant."""

    name = "publish"
    label = "Publish now"
    action = Action.PUBLISH
    permission = PERM_PUBLISH
    permission_message = "Only a publisher can publish a release."
    consequence = (
        "The release becomes public at once: on the newsroom's pages, in its feeds, in "
        "search and the API, and e-mail alerts go to those who follow it."
    )

    def check_state(self, user: User, release: PressRelease, now: datetime.datetime) -> None:
        _check_approved_or_scheduled(
            release, now, "Only an approved or scheduled release can be published"
        )
        check_two_person_rule(user, release)

    def apply(self, release: PressRelease, now: datetime.datetime, given: TransitionInput) -> None:
        release.status = Status.PUBLISHED
        release.publish_at = now
        if release.first_published_at is None or release.first_published_at > now:
            release.first_published_at = now


@register
class Schedule(Transition):
    """Approved → published with a future ``publish_at`` (embargoed until then).

    ``published()`` hides it until the instant, so no job has to "go live".
    """

    name = "schedule"
    label = "Schedule"
    action = Action.SCHEDULE
    permission = PERM_PUBLISH
    permission_message = "Only a publisher can schedule a release."
    consequence = (
        "The release becomes public at the embargo time, not a second before; until then "
        "it stays hidden everywhere."
    )
    needs_time = True

    def check_state(self, user: User, release: PressRelease, now: datetime.datetime) -> None:
        _check_approved_or_scheduled(
            release, now, "Only an approved (or already scheduled) release can be scheduled"
        )
        check_two_person_rule(user, release)

    def apply(self, release: PressRelease, now: datetime.datetime, given: TransitionInput) -> None:
        release.status = Status.PUBLISHED
        release.publish_at = given.publish_at
        if release.first_published_at is not None and release.first_published_at > now:
            release.first_published_at = None  # a previous, never-reached schedule
        release.first_published_at = release.first_published_at or given.publish_at

    def audit_note(self, given: TransitionInput) -> str:
        return f"Embargo until {house_datetime(given.publish_at, utc=True)}"


@register
class Unschedule(Transition):
    """Scheduled → approved: the embargo is lifted from the calendar."""

    name = "unschedule"
    label = "Unschedule"
    action = Action.UNSCHEDULE
    permission = PERM_PUBLISH
    permission_message = "Only a publisher can unschedule a release."
    consequence = "The embargo is cleared: the release goes back to approved and will not go out."
    needs_note = "optional"
    note_label = "Reason"

    def check_state(self, user: User, release: PressRelease, now: datetime.datetime) -> None:
        if is_scheduled(release, now):
            return
        if is_live(release, now):
            raise TransitionError(
                "This release is already public; it cannot be unscheduled. Withdraw it instead."
            )
        raise TransitionError(
            f"Only a scheduled release can be unscheduled; this release is "
            f"{state_name(release, now)}."
        )

    def apply(self, release: PressRelease, now: datetime.datetime, given: TransitionInput) -> None:
        release.status = Status.APPROVED
        if release.first_published_at is not None and release.first_published_at > now:
            release.first_published_at = None
        release.publish_at = None


@register
class Withdraw(Transition):
    """Published → withdrawn: the page stays, marked, with a public explanation.

    It leaves every list, feed and search (they use ``published()``).
    """

    name = "withdraw"
    label = "Withdraw"
    action = Action.WITHDRAW
    permission = PERM_PUBLISH
    permission_message = "Only a publisher can withdraw a release."
    needs_note = "required"
    note_label = "Public explanation (shown on the page)"
    note_missing_message = "Write the public explanation: readers are told why it was withdrawn."
    warning = "Takes the release off the newsroom."
    consequence = (
        "The release disappears from the newsroom's lists, search, the sitemap and the API. "
        "Its page stays at the same address and says it was withdrawn, with today's date "
        "and your explanation; the feeds it was in say so too (\u201cWithdrawn: \u2026\u201d, "
        "with your explanation). Its pictures and documents can no longer be "
        "downloaded, and open preview links stop working. A withdrawn release cannot be "
        "published again; it can only be removed."
    )
    danger = True

    def check_state(self, user: User, release: PressRelease, now: datetime.datetime) -> None:
        if is_live(release, now):
            return
        if is_scheduled(release, now):
            raise TransitionError(
                "This release is scheduled and not yet public: unschedule it instead."
            )
        raise TransitionError(
            f"Only a published release can be withdrawn; this release is "
            f"{state_name(release, now)}."
        )

    def apply(self, release: PressRelease, now: datetime.datetime, given: TransitionInput) -> None:
        release.status = Status.WITHDRAWN
        release.withdrawn_at = now
        release.withdrawal_reason = given.note

    def after(
        self, release: PressRelease, user: User, now: datetime.datetime, given: TransitionInput
    ) -> None:
        # A withdrawn text must not live on through a partner's preview link.
        revoke_open_links(release, user, now, "the release was withdrawn.")


@register
class Remove(Transition):
    """Published in error → removed: its URL answers 410 Gone."""

    name = "remove"
    label = "Remove (published in error)"
    action = Action.REMOVE
    permission = PERM_PUBLISH
    permission_message = "Only a publisher can remove a release."
    needs_note = "required"
    note_label = "Reason (internal)"
    note_missing_message = "Say why the release is being removed (kept in the audit log)."
    warning = "Deletes the public page (it answers “410 Gone”)."
    consequence = (
        "For a release published in error. Its page answers “410 Gone” — readers see "
        "that it no longer exists, with no explanation — and it disappears from the "
        "newsroom's lists, feeds, search, the sitemap and the API. Its pictures and "
        "documents can no longer be downloaded, and open preview links stop working. "
        "Your reason is kept in the audit log, not shown to readers. This cannot be undone."
    )
    danger = True

    def check_state(self, user: User, release: PressRelease, now: datetime.datetime) -> None:
        if not (is_live(release, now) or release.status == Status.WITHDRAWN):
            raise TransitionError(
                f"Only a published or withdrawn release can be removed; this release is "
                f"{state_name(release, now)}."
            )

    def apply(self, release: PressRelease, now: datetime.datetime, given: TransitionInput) -> None:
        release.status = Status.REMOVED

    def after(
        self, release: PressRelease, user: User, now: datetime.datetime, given: TransitionInput
    ) -> None:
        # Published in error: no link may keep showing it (its public URL is 410).
        revoke_open_links(release, user, now, "the release was removed.")


@register
class ForcePublish(Transition):
    """Publish (or schedule) without the second person, with a reason.

    For the emergency where nobody else is available.  The audit entry is
    flagged ``needs_second_look`` and listed in the admin until checked.
    It is offered only when "Publish now" and "Schedule" are closed to the
    user, and comes last, so that the override is never the obvious button.
    """

    name = "force_publish"
    label = "Force publish"
    action = Action.FORCE_PUBLISH
    permission = PERM_PUBLISH
    permission_message = "Only a publisher can force-publish a release."
    needs_note = "required"
    note_label = "Why this cannot wait for a second person"
    note_missing_message = "Force-publishing needs a reason; it is logged for a second look."
    warning = "Publishes without a second person's approval."
    consequence = (
        "The release becomes public without a second person's approval: at once, or at the "
        "embargo time you give. It appears on the newsroom's pages, feeds, search and API "
        "and e-mail alerts go out, like any published release. The audit log flags it "
        "“needs a second look”, with your reason, until an administrator checks it."
    )
    needs_time = True
    time_required = False
    danger = True
    second_look = True
    fallback_for = ("publish", "schedule")

    def check_state(self, user: User, release: PressRelease, now: datetime.datetime) -> None:
        if release.status not in (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED):
            raise TransitionError(
                f"Only a release not yet published can be force-published; this release is "
                f"{state_name(release, now)}."
            )

    def apply(self, release: PressRelease, now: datetime.datetime, given: TransitionInput) -> None:
        release.status = Status.PUBLISHED
        release.publish_at = given.publish_at or now
        if release.first_published_at is None or release.first_published_at > now:
            release.first_published_at = release.publish_at

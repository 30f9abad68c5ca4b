"""What an edit of a release's content changes, and what follows from it.

Two rules live here, so that every route that edits content (the release
form, a restore, the stand-alone file pages) applies them the same way:

* **An approval is of a text.**  A release that is approved or scheduled and
  whose title, summary, body, dateline, issuers or files change has not been
  approved *in that form*: it goes back to review, and a scheduled one loses
  its embargo, so that it can never go out with text nobody approved.  The
  step is audited as a submission by the person who edited, so the
  two-person rules then apply to them: another editor approves, another
  publisher publishes.
* **The public is told when what it saw changes.**  The pictures and
  documents of a public release change only as a major change, with a public
  change note (text may still get a silent minor fix; a different picture or
  document is never "minor" for a journalist who already used it).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from releases.models import AuditLogEntry, PressRelease
from releases.workflow.base import TransitionError, audit
from releases.workflow.permissions import Action, Status, User, is_live, is_scheduled

#: Fields of a release whose change needs a new review once it is approved.
#: Topics, partnerships, contacts and the slug are filing and routing, not
#: the text that was approved.
SUBSTANTIVE_FIELDS = frozenset({"title", "summary", "body", "dateline_place", "dateline_date"})

FIELD_LABELS = {
    "title": "title",
    "slug": "URL",
    "summary": "summary",
    "body": "body",
    "dateline_place": "dateline place",
    "dateline_date": "dateline date",
    "tags": "topics",
    "partnerships": "partnerships",
}

FILES_NEED_A_NOTE = (
    "The pictures and documents of a public release change only as a major change, "
    "with a public change note saying what changed (readers may already have used them)."
)


@dataclass(frozen=True)
class ContentChanges:
    """What one save changed, in words an audit entry can carry.

    ``fields`` are names of release fields; ``files`` holds one plain line
    per picture or document added, changed or removed (“picture “…” added”).
    """

    fields: tuple[str, ...] = ()
    issuers: bool = False
    contacts: bool = False
    files: tuple[str, ...] = ()

    @property
    def substantive(self) -> bool:
        """Would this change need a new review of an approved release?"""
        return bool(SUBSTANTIVE_FIELDS.intersection(self.fields) or self.issuers or self.files)

    @property
    def empty(self) -> bool:
        return not (self.fields or self.issuers or self.contacts or self.files)

    def describe(self) -> str:
        """One sentence for the audit log, naming every file touched."""
        parts = []
        names = [FIELD_LABELS.get(name, name.replace("_", " ")) for name in self.fields]
        if self.issuers:
            names.append("issuing organisations")
        if self.contacts:
            names.append("contacts")
        if names:
            parts.append("Changed " + ", ".join(names))
        parts.extend(self.files)
        return "; ".join(parts) + ("." if parts else "")


def needs_change_note(release: PressRelease, now: datetime.datetime | None = None) -> bool:
    """Edits of a release the public has seen are either minor or noted."""
    return release.pk is not None and is_live(release, now or timezone.now())


def edit_sends_back(release: PressRelease, now: datetime.datetime | None = None) -> bool:
    """Would a substantive edit of ``release`` now send it back for review?

    The admin asks this to warn *before* the save, with the same answer
    :func:`send_back_for_review` will act on.
    """
    now = now or timezone.now()
    return release.pk is not None and (
        release.status == Status.APPROVED or is_scheduled(release, now)
    )


def check_file_changes(
    release: PressRelease,
    changes: ContentChanges | None,
    *,
    major: bool,
    change_note: str,
    now: datetime.datetime | None = None,
) -> None:
    """Refuse a change of a public release's files that readers would not be told of.

    Raises :class:`TransitionError`; forms call it while validating, so that
    nothing is saved, and :func:`~releases.workflow.revisions.record_edit`
    calls it again in case a caller forgot.
    """
    if changes is None or not changes.files or not needs_change_note(release, now):
        return
    if not (major and (change_note or "").strip()):
        raise TransitionError(FILES_NEED_A_NOTE)


def send_back_for_review(
    release: PressRelease,
    user: User,
    changes: ContentChanges | None,
    now: datetime.datetime | None = None,
) -> AuditLogEntry | None:
    """After a substantive edit of an approved or scheduled release: back to review.

    ``changes=None`` means the caller could not say what changed, which is
    treated as substantive: an approval is kept only when we know it still
    holds.  Returns the audit entry, or ``None`` when the approval stands.
    Call it inside the transaction that saved the edit (the row is locked
    there by the form's or the restore's ``select_for_update``).
    """
    now = now or timezone.now()
    if not edit_sends_back(release, now):
        return None
    if changes is not None and not changes.substantive:
        return None
    from_status = release.status
    was_scheduled = is_scheduled(release, now)
    release.status = Status.IN_REVIEW
    release.publish_at = None
    if release.first_published_at is not None and release.first_published_at > now:
        release.first_published_at = None  # the embargo that will not be reached
    release.save(update_fields=["status", "publish_at", "first_published_at"])
    who = getattr(user, "get_username", lambda: "")() or "someone"
    note = f"Sent back for review after an edit by {who}"
    note += " (the embargo was cleared)." if was_scheduled else "."
    if changes is not None and not changes.empty:
        note += f" {changes.describe()}"
    return audit(
        release,
        user,
        Action.SUBMIT,
        from_status=from_status,
        to_status=release.status,
        note=note,
    )

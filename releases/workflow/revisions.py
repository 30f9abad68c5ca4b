"""Content edits, corrections, restores and recovery: what changes a release's content.

None of these publishes anything.  An edit or a restore leaves the status
alone, except that a substantive edit of an approved or scheduled release
sends it back for review (:mod:`~releases.workflow.edits`: an approval is
of a text); recovery sends a deleted release back to draft.  Every one of
them leaves an :class:`~releases.models.AuditLogEntry` that says what
changed, naming each picture and document.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import reversion
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from reversion.models import Version

from core.dates import house_datetime
from releases.models import AuditLogEntry, ChangeNote, PressRelease
from releases.workflow.base import TransitionError, audit, clean_note, copy_state
from releases.workflow.edits import (
    ContentChanges,
    check_file_changes,
    needs_change_note,
    send_back_for_review,
)
from releases.workflow.files import drop_missing_files
from releases.workflow.permissions import Action, Status, User, check_can_edit
from releases.workflow.restoring import (
    file_state,
    restore_files,
    restore_links,
    restore_partnerships,
    restore_tags,
)

#: Fields a "restore this revision" brings back.  Status, embargo and the
#: public dates are left alone: restoring is an edit, not a way around review.
#: The fields whose change is an edit of the release's text (one list, on the model).
CONTENT_FIELDS = PressRelease.CONTENT_FIELDS


def record_edit(
    release: PressRelease,
    user: User,
    *,
    created: bool = False,
    major: bool = False,
    change_note: str = "",
    now: datetime.datetime | None = None,
    changes: ContentChanges | None = None,
) -> AuditLogEntry:
    """Record a content edit made through a form (call it in the save's transaction).

    A *major* change to a public release gets a public :class:`ChangeNote`
    and moves ``last_updated_at``; a minor one leaves no public trace.  The
    entry names what ``changes`` says changed, each file by name.  A
    substantive change of an approved or scheduled release sends it back
    for review; ``changes=None`` (the caller cannot say) counts as one.
    """
    now = now or timezone.now()
    if created:
        return audit(release, user, Action.CREATE, to_status=release.status)
    check_file_changes(release, changes, major=major, change_note=change_note, now=now)
    detail = changes.describe() if changes is not None else ""
    if major and needs_change_note(release, now):
        note = clean_note(
            change_note, "A major change needs a public change note saying what changed."
        )
        ChangeNote.objects.create(release=release, note=note, created_at=now, created_by=user)
        release.last_updated_at = now
        release.save(update_fields=["last_updated_at"])
        entry = audit(
            release,
            user,
            Action.CORRECT,
            from_status=release.status,
            to_status=release.status,
            note=f"{note} — {detail}" if detail else note,
        )
    else:
        entry = audit(
            release,
            user,
            Action.EDIT,
            from_status=release.status,
            to_status=release.status,
            note=detail,
        )
    send_back_for_review(release, user, changes, now)
    return entry


def versions_of(release: PressRelease) -> QuerySet[Version]:
    """The revisions kept of ``release``, newest first.

    Views look a version up *in this queryset*, so an id from another
    release's history cannot be compared or restored here.
    """
    return (
        Version.objects.get_for_object(release)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )


@dataclass(frozen=True)
class RestoreOutcome:
    """What a restore did: the release (as saved), what it could not bring back,
    and whether the release went back for review."""

    release: PressRelease
    not_restored: tuple[str, ...] = ()
    sent_back: bool = False


def restore_revision(
    release: PressRelease,
    version: Version,
    user: User,
    *,
    change_note: str = "",
    now: datetime.datetime | None = None,
) -> RestoreOutcome:
    """Bring back the *content* of an earlier revision, all of it.

    Text, issuers, contacts, partnerships, topics, pictures and documents
    (their rows, captions and alt text; a picture deleted since comes back
    if its file is still stored).  What cannot come back is named in
    :attr:`RestoreOutcome.not_restored` and in the audit entry.

    Status, embargo and public dates are left as they are, so restoring is
    an edit like any other: it cannot publish anything.  Like any edit, it
    sends an approved or scheduled release back for review if the text or
    files change, and on a public release a change note makes it a major
    change (one is required if pictures or documents change).
    """
    if str(version.object_id) != str(release.pk) or version._model is not PressRelease:
        raise TransitionError("That revision belongs to another release.")
    now = now or timezone.now()
    note = (change_note or "").strip()
    with transaction.atomic(), reversion.create_revision():
        locked = PressRelease.objects.select_for_update().get(pk=release.pk)
        check_can_edit(user, locked)
        before = _snapshot(locked)
        data = version.field_dict
        for name in CONTENT_FIELDS:
            if name in data:
                setattr(locked, name, data[name])
        if user and user.pk:
            locked.updated_by = user
        locked.save()
        siblings = list(version.revision.version_set.all())
        problems = [
            *restore_partnerships(locked, data),
            *restore_links(locked, siblings),
            *restore_tags(locked, version),
        ]
        file_changes, file_problems = restore_files(locked, siblings)
        problems.extend(file_problems)
        after = _snapshot(locked)
        changes = ContentChanges(
            fields=tuple(k for k in ("tags", *CONTENT_FIELDS) if before[k] != after[k]),
            issuers=before["issuers"] != after["issuers"],
            contacts=before["contacts"] != after["contacts"],
            files=tuple(file_changes) if before["files"] != after["files"] else (),
        )
        check_file_changes(locked, changes, major=bool(note), change_note=note, now=now)
        comment = f"Restored the revision of {house_datetime(version.revision.date_created)}"
        reversion.set_user(user if user and user.pk else None)
        reversion.set_comment(comment)
        if note and needs_change_note(locked, now):
            record_edit(
                locked, user, major=True, change_note=note, now=now, changes=ContentChanges()
            )
        summary = f"{comment}. {note}".strip() if note else f"{comment}."
        if not changes.empty:
            summary += f" {changes.describe()}"
        if problems:
            summary += " Could not restore: " + "; ".join(problems) + "."
        audit(
            locked,
            user,
            Action.RESTORE,
            from_status=locked.status,
            to_status=locked.status,
            note=summary,
        )
        sent_back = send_back_for_review(locked, user, changes, now) is not None
    copy_state(locked, release)
    return RestoreOutcome(release=release, not_restored=tuple(problems), sent_back=sent_back)


def _snapshot(release: PressRelease) -> dict[str, object]:
    """What a restore may change, to tell afterwards what it did change."""
    return {
        **{name: getattr(release, name) for name in CONTENT_FIELDS},
        "tags": sorted(release.tags.names()),
        "issuers": list(release.issuers.values_list("organisation_id", "order")),
        "contacts": list(release.contact_links.values_list("contact_id", "role", "order")),
        "files": file_state(release),
    }


def prepare_recovery(release: PressRelease, version: Version) -> list[str]:
    """Complete a deleted release just brought back from ``version``, before its form is shown.

    django-reversion has put back its row and link rows; here its topics
    come back from the revision, and pictures or documents whose stored
    file is gone are left out (named in the returned list), so that the
    rest is recovered instead of the whole recovery failing.
    """
    restore_tags(release, version)
    return drop_missing_files(release)


def after_recover(
    release: PressRelease, user: User, *, missing: Sequence[str] = ()
) -> PressRelease:
    """A deleted release brought back from its last revision returns as a draft.

    Recovery must not put a page back in public without review: the status
    goes back to draft and the embargo is cleared; the audit log says so,
    and names any file that could not be recovered (``missing``).
    """
    from_status = release.status
    release.status = Status.DRAFT
    release.publish_at = None
    release.withdrawn_at = None
    if user and user.pk:
        release.updated_by = user
    release.save()
    note = "Recovered after deletion; back to draft for review."
    if missing:
        note += " Could not recover: " + "; ".join(missing) + "."
    audit(
        release,
        user,
        Action.RECOVER,
        from_status=from_status,
        to_status=release.status,
        note=note,
    )
    return release

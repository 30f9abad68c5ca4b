"""Content edits, corrections, restores and recovery: what changes a release without moving it.

None of these changes ``status`` or the embargo (except recovery, which
sends a deleted release back to draft): restoring an old revision is an
edit like any other, so it can neither publish nor unpublish anything.
Every one of them leaves an :class:`~releases.models.AuditLogEntry`.
"""

from __future__ import annotations

import datetime

import reversion
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from reversion.models import Version

from releases.models import (
    AuditLogEntry,
    ChangeNote,
    PressRelease,
    ReleaseContact,
    ReleaseOrganisation,
)
from releases.workflow.base import TransitionError, audit, clean_note, copy_state
from releases.workflow.permissions import Action, Status, User, check_can_edit, is_live

#: Fields a "restore this revision" brings back.  Status, embargo and the
#: public dates are left alone: restoring is an edit, not a way around review.
#: The fields whose change is an edit of the release's text (one list, on the model).
CONTENT_FIELDS = PressRelease.CONTENT_FIELDS


def needs_change_note(release: PressRelease, now: datetime.datetime | None = None) -> bool:
    """Edits of a release the public has seen are either minor or noted."""
    return release.pk is not None and is_live(release, now or timezone.now())


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
        return audit(release, user, Action.CREATE, to_status=release.status)
    if major and needs_change_note(release, now):
        note = clean_note(
            change_note, "A major change needs a public change note saying what changed."
        )
        ChangeNote.objects.create(release=release, note=note, created_at=now, created_by=user)
        release.last_updated_at = now
        release.save(update_fields=["last_updated_at"])
        return audit(
            release,
            user,
            Action.CORRECT,
            from_status=release.status,
            to_status=release.status,
            note=note,
        )
    return audit(release, user, Action.EDIT, from_status=release.status, to_status=release.status)


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
        audit(
            locked,
            user,
            Action.RESTORE,
            from_status=locked.status,
            to_status=locked.status,
            note=f"{comment}. {note}".strip() if note else comment,
        )
    copy_state(locked, release)
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
    audit(
        release,
        user,
        Action.RECOVER,
        from_status=from_status,
        to_status=release.status,
        note="Recovered after deletion; back to draft for review.",
    )
    return release

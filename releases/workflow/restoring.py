"""Bringing back what a revision holds besides the release's own text.

A revision of a release holds its row (with the names of its topics, see
:mod:`releases.models.revision_format`) and a version of every issuer link,
contact link, picture and document it had.  Each function here makes one
of those relations what the revision says, and returns, in plain words,
what it could not bring back (a contact deleted since, a picture whose
file is gone), so the person restoring is told rather than left to guess.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from reversion.errors import RevertError
from reversion.models import Version

from releases.models import (
    PressRelease,
    ReleaseAttachment,
    ReleaseContact,
    ReleaseImage,
    ReleaseOrganisation,
)
from releases.models.revision_format import tag_names
from releases.workflow.files import describe, is_stored, stored_name

#: Fields of a picture or document a restore brings back, besides the file.
FILE_TEXT_FIELDS = {
    ReleaseImage: ("alt_text", "caption", "credit", "usage_terms", "is_lead", "order"),
    ReleaseAttachment: ("title", "order"),
}
#: Facts that go with a stored file (``ReleaseImage.refresh_file_facts``).
FILE_FACTS = {
    ReleaseImage: ("image", "width", "height", "file_size", "checksum"),
    ReleaseAttachment: ("file", "file_size"),
}


def _saved_rows(
    release: PressRelease, siblings: list[Version], model: type[models.Model]
) -> list[Version]:
    rows = []
    for version in siblings:
        if version._model is model:
            try:
                if version.field_dict.get("release_id") == release.pk:
                    rows.append(version)
            except RevertError:
                continue  # unreadable: reported by the caller as not restored
    return rows


def restore_tags(release: PressRelease, version: Version) -> list[str]:
    """Give the release the topics the revision names; topics deleted since come back."""
    names = tag_names(version)
    if names is None:
        return [
            "the topics (this revision was kept before topics were recorded in revisions; "
            "they were left as they are)"
        ]
    release.tags.set(names, clear=False)
    return []


def restore_partnerships(release: PressRelease, data: dict[str, Any]) -> list[str]:
    from contacts.models import Partnership

    if "partnerships" not in data:
        return []
    wanted = list(data["partnerships"])
    existing = list(Partnership.objects.filter(pk__in=wanted))
    release.partnerships.set(existing)
    gone = len(set(wanted)) - len(existing)
    return [f"{gone} partnership(s) deleted since"] if gone else []


def restore_links(release: PressRelease, siblings: list[Version]) -> list[str]:
    """Replace issuers and contacts with the ones saved in the revision."""
    from contacts.models import MediaContact, Organisation

    issuers = [v.field_dict for v in _saved_rows(release, siblings, ReleaseOrganisation)]
    contacts = [v.field_dict for v in _saved_rows(release, siblings, ReleaseContact)]
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
    problems = []
    if gone := sum(d["organisation_id"] not in live_orgs for d in issuers):
        problems.append(f"{gone} issuing organisation(s) deleted since")
    if gone := sum(d["contact_id"] not in live_contacts for d in contacts):
        problems.append(f"{gone} contact(s) deleted since")
    return problems


def file_state(release: PressRelease) -> set[tuple]:
    """Everything a restore may change about the release's files, for comparing."""
    state = set()
    for model, related in (
        (ReleaseImage, release.images),
        (ReleaseAttachment, release.attachments),
    ):
        names = ("pk", *FILE_FACTS[model][:1], *FILE_TEXT_FIELDS[model])
        state.update((model.__name__, *row) for row in related.values_list(*names))
    return state


def restore_files(release: PressRelease, siblings: list[Version]) -> tuple[list[str], list[str]]:
    """Make the release's pictures and documents the revision's.

    Rows changed since get their text back; rows deleted since come back
    (same id, so older revisions still match them) if their file is still
    stored; rows added since are deleted (their files are kept, so
    restoring a later revision brings them back).  Returns what changed and
    what could not be brought back, in plain words.
    """
    changed: list[str] = []
    problems: list[str] = []
    for model, related in (
        (ReleaseImage, release.images),
        (ReleaseAttachment, release.attachments),
    ):
        file_field = FILE_FACTS[model][0]
        saved = {}
        for version in _saved_rows(release, siblings, model):
            try:
                saved[int(version.object_id)] = version._object_version.object
            except (RevertError, ValueError):
                problems.append(f"a {model._meta.verbose_name} of that revision (unreadable)")
        current = {obj.pk: obj for obj in related.all()}
        for pk, obj in current.items():
            if pk not in saved:
                obj.delete()
                changed.append(f"{describe(obj)} removed")
        for pk, old in saved.items():
            now = current.get(pk)
            if not is_stored(stored_name(old)):
                if now is None:
                    problems.append(f"{describe(old)} (its file is no longer stored)")
                    continue
                if stored_name(now) != stored_name(old):
                    problems.append(f"the earlier file of {describe(old)} (no longer stored)")
                setattr(old, file_field, stored_name(now))  # keep the file it has now
                for fact in FILE_FACTS[model][1:]:
                    setattr(old, fact, getattr(now, fact))
            if now is not None and _same(now, old, model):
                continue
            old.release = release
            old.save()
            verb = "brought back" if now is None else "restored"
            if now is not None and stored_name(now) != stored_name(old):
                verb = f"restored with its earlier {file_field}"
            changed.append(f"{describe(old)} {verb}")
    return changed, problems


def _same(a: models.Model, b: models.Model, model: type[models.Model]) -> bool:
    names = (*FILE_FACTS[model][:1], *FILE_TEXT_FIELDS[model])
    return all(
        (stored_name(a) == stored_name(b))
        if name in ("image", "file")
        else getattr(a, name) == getattr(b, name)
        for name in names
    )

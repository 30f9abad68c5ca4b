"""What one save of the release form changed, told to the workflow as ``ContentChanges``.

The workflow decides what follows (an audit entry naming each file, a new
review for an approved release, a change note for a public one); this
module only reads the form and its inline formsets after they are saved.
Text fields are compared as stored, before and after the save, so that the
editor's re-serialisation of unchanged HTML is not taken for an edit.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.forms.models import BaseInlineFormSet

from releases import workflow
from releases.models import (
    PressRelease,
    ReleaseAttachment,
    ReleaseContact,
    ReleaseImage,
    ReleaseOrganisation,
)
from releases.workflow.edits import FIELD_LABELS

#: Release fields compared as stored (``body`` is sanitised on save).
STORED_FIELDS = ("title", "slug", "summary", "dateline_place", "dateline_date", "body")
#: Many-to-many fields, read from the form (they are saved after the row).
FORM_FIELDS = ("tags", "partnerships")


def stored_values(release: PressRelease) -> dict[str, Any] | None:
    """The release's text as stored now (call it before the form's save)."""
    if release.pk is None:
        return None
    return PressRelease.objects.filter(pk=release.pk).values(*STORED_FIELDS).first()


def field_label(obj: models.Model, name: str) -> str:
    try:
        return str(obj._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name.replace("_", " ")


def file_lines(formset: BaseInlineFormSet) -> list[str]:
    """One plain line per picture or document the saved formset added, changed or removed."""
    lines = [f"{workflow.describe(obj)} added" for obj in formset.new_objects]
    for obj, changed in formset.changed_objects:
        what = ", ".join(field_label(obj, name) for name in changed)
        lines.append(f"{workflow.describe(obj)} changed ({what})")
    lines.extend(f"{workflow.describe(obj)} removed" for obj in formset.deleted_objects)
    return lines


def content_changes(
    release: PressRelease,
    before: dict[str, Any] | None,
    form: forms.ModelForm,
    formsets: list[BaseInlineFormSet],
) -> workflow.ContentChanges:
    """What the save changed: call it after the form and the formsets are saved."""
    fields = [
        name
        for name in STORED_FIELDS
        if before is not None and before[name] != getattr(release, name)
    ]
    fields += [name for name in FORM_FIELDS if name in form.changed_data]
    issuers = contacts = False
    files: list[str] = []
    for formset in formsets:
        touched = bool(formset.new_objects or formset.changed_objects or formset.deleted_objects)
        if formset.model is ReleaseOrganisation:
            issuers = issuers or touched
        elif formset.model is ReleaseContact:
            contacts = contacts or touched
        elif formset.model in (ReleaseImage, ReleaseAttachment):
            files.extend(file_lines(formset))
    return workflow.ContentChanges(
        fields=tuple(fields), issuers=issuers, contacts=contacts, files=tuple(files)
    )


def _listed(names: list[str]) -> str:
    """ "the title", "the title and the body", "the title, the summary and the body"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def describe_save(changes: workflow.ContentChanges, cleaned: dict[str, Any]) -> str:
    """A save in plain words for the history page.

    "Changed the summary and the body; marked as a major change (“Corrected
    the figures.”)" — what a colleague reading the history needs, rather
    than Django's list of form labels.
    """
    names = [f"the {FIELD_LABELS.get(name, name.replace('_', ' '))}" for name in changes.fields]
    if changes.issuers:
        names.append("the issuing organisations")
    if changes.contacts:
        names.append("the contacts")
    parts = [f"Changed {_listed(names)}"] if names else []
    parts.extend(changes.files)
    if cleaned.get("change_kind") == "major":
        note = (cleaned.get("change_note") or "").strip()
        parts.append(f"marked as a major change (“{note}”)" if note else "marked as a major change")
    elif cleaned.get("change_kind") == "minor" and parts:
        parts.append("marked as a minor fix")
    if not parts:
        return "Saved without changes."
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."

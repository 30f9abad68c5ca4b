"""Comparing two revisions of a release, field by field, with a word-level diff.

A revision is shown with its link rows (issuers, contacts), its topics,
pictures and documents, and its public dates in newsroom time and UTC, so
that staff can see what a restore would bring back before they press it.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Version

from contacts.models import MediaContact, Organisation, Partnership
from core.richtext import html_to_text
from releases.admin.helpers import format_instant
from releases.models import (
    PressRelease,
    ReleaseAttachment,
    ReleaseContact,
    ReleaseImage,
    ReleaseOrganisation,
)
from releases.models.revision_format import tag_names

Status = PressRelease.Status


def _tokens(text: str) -> list[str]:
    """Words, whitespace and HTML tags as separate tokens (so ``<p>Three`` diffs as "Three")."""
    return [t for t in re.split(r"(\s+|<[^>]*>)", text) if t]


def inline_diff(old: str, new: str) -> SafeString:
    """Word-level diff as HTML (``<del>``/``<ins>``), every piece escaped."""
    a, b = _tokens(str(old)), _tokens(str(new))
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # built from escaped parts only


def _snapshot(version: Version) -> dict[str, str]:
    """A revision's values as readable strings, including its link rows."""
    data = version.field_dict
    siblings = list(version.revision.version_set.all())
    orgs = {
        o.pk: str(o)
        for o in Organisation.objects.filter(
            pk__in=[
                v.field_dict.get("organisation_id")
                for v in siblings
                if v._model is ReleaseOrganisation
            ]
        )
    }
    people = {
        c.pk: str(c)
        for c in MediaContact.objects.select_related("organisation").filter(
            pk__in=[v.field_dict.get("contact_id") for v in siblings if v._model is ReleaseContact]
        )
    }
    issuers = sorted(
        (v.field_dict for v in siblings if v._model is ReleaseOrganisation),
        key=lambda d: (d["order"], d["id"]),
    )
    contacts = sorted(
        (v.field_dict for v in siblings if v._model is ReleaseContact),
        key=lambda d: (d["order"], d["id"]),
    )
    partnerships = Partnership.objects.filter(pk__in=data.get("partnerships", [])).order_by("title")
    topics = tag_names(version)

    def mine(row: Version) -> bool:
        return str(row.field_dict.get("release_id")) == str(version.object_id)

    pictures = sorted(
        (v.field_dict for v in siblings if v._model is ReleaseImage and mine(v)),
        key=lambda d: (not d["is_lead"], d["order"], d["id"]),
    )
    documents = sorted(
        (v.field_dict for v in siblings if v._model is ReleaseAttachment and mine(v)),
        key=lambda d: (d["order"], d["id"]),
    )
    status = data.get("status", "")

    def instant(value: Any) -> str:
        return format_instant(value) if value else "—"

    return {
        "Title": data.get("title", ""),
        "Slug (URL)": data.get("slug", ""),
        "Summary": data.get("summary", ""),
        "Dateline place": data.get("dateline_place", ""),
        "Dateline date": str(data.get("dateline_date") or ""),
        # As read, not as HTML source: a word changed shows as a word.
        "Body": html_to_text(data.get("body", "")),
        "Issuing organisations": "; ".join(
            orgs.get(d["organisation_id"], "(deleted)") for d in issuers
        ),
        "Contacts": "; ".join(
            f"{people.get(d['contact_id'], '(deleted)')} — {ReleaseContact.Role(d['role']).label}"
            for d in contacts
        ),
        "Partnerships": "; ".join(p.title for p in partnerships),
        "Topics": "(not recorded in this revision)" if topics is None else ", ".join(topics),
        "Pictures": "; ".join(f"{d['caption']} (alt: {d['alt_text']})" for d in pictures),
        "Documents": "; ".join(d["title"] for d in documents),
        "Status": Status(status).label if status in Status.values else status,
        "Publish at": instant(data.get("publish_at")),
        "Withdrawal explanation": data.get("withdrawal_reason", ""),
    }


def compare_rows(old: Version, new: Version) -> list[dict[str, Any]]:
    """One row per field: both values, whether they differ, and the diff if they do."""
    a, b = _snapshot(old), _snapshot(new)
    rows = []
    for label in a:
        before, after = a[label], b.get(label, "")
        changed = before != after
        rows.append(
            {
                "label": label,
                "old": before,
                "new": after,
                "changed": changed,
                "diff": inline_diff(before, after) if changed else None,
            }
        )
    return rows

"""The import report: what was created, what was matched, what staff must check.

Written as plain text because it is printed by the management command,
shown in the admin and stored on the ImportRecord; every recognised piece is
quoted as it appeared in the file so staff can check the parser's reading.
"""

from __future__ import annotations

from importer.outcome import ImportOutcome


def _section(title: str, items: list[str]) -> list[str]:
    return [f"    {title}:", *(f"      - {item}" for item in items)] if items else []


def render_report(outcome: ImportOutcome) -> str:
    """The full report of one import (or dry run) as text."""
    lines = [f"File: {outcome.filename} (encoding: {outcome.encoding}, SHA-256 {outcome.sha256})"]
    if outcome.dry_run:
        lines.append("DRY RUN: nothing was written.")
    elif outcome.nothing_written:
        lines.append(
            "Nothing was written: every release looks like one already in the newsroom "
            "(import with --import-duplicates, or “Import anyway” in the admin, to add them)."
        )
    if outcome.bulletin is not None:
        org = outcome.bulletin.organisation
        lines.append(
            f"Bulletin: “{outcome.bulletin.title}”"
            + (f" of {org.name}" if org else "")
            + (" (would be created)" if outcome.dry_run else " (created)")
        )
        lines += [f"  header line “{line}”" for line in outcome.bulletin_lines]
    for warning in [*outcome.document.warnings, *outcome.warnings]:
        lines.append(f"Warning: {warning}")
    for number, item in enumerate(outcome.releases, start=1):
        parsed = item.parsed
        release = item.release
        lines.append("")
        lines.append(f"Release {number}: “{parsed.title}”")
        if release is not None:
            lines.append(f"    status: draft; slug: {release.slug}")
        for duplicate in item.duplicates:
            lines.append(
                ("    SKIPPED, " if item.skipped else "    imported anyway, although it ")
                + duplicate.describe()
            )
        dateline = ", ".join(
            part
            for part in (
                parsed.dateline_place,
                f"{parsed.dateline_date.day} {parsed.dateline_date:%B %Y}"
                if parsed.dateline_date
                else "",
            )
            if part
        )
        lines.append(f"    dateline: {dateline or '(none)'}")
        lines.append(f"    issued by: {', '.join(item.issuers) or '(no organisation found)'}")
        lines.append(f"    summary: {parsed.summary or '(none)'}")
        if item.suggested_tags:
            lines.append(f"    suggested tags: {', '.join(item.suggested_tags)}")
        if item.suggested_partnerships:
            titles = ", ".join(p.title for p in item.suggested_partnerships)
            lines.append(f"    suggested partnerships: {titles}")
        lines += _section("Recognised in the file", item.recognised)
        lines += _section("Created", item.created)
        lines += _section("Matched existing", item.matched)
        lines += _section("Please review", item.review)
        lines += _section(
            "Not recognised (kept verbatim at the end of the body)", item.unrecognised
        )
    lines.append("")
    lines.append(f"Organisations created: {', '.join(outcome.organisations_created) or 'none'}")
    lines.append(f"Organisations matched: {', '.join(outcome.organisations_matched) or 'none'}")
    lines.append(f"Contacts created: {', '.join(outcome.contacts_created) or 'none'}")
    lines.append(f"Contacts matched: {', '.join(outcome.contacts_matched) or 'none'}")
    lines.append(outcome.summary)
    return "\n".join(lines)

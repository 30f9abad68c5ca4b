"""The sections of the admin's home page: what waits for this person, by role.

Each section is a :class:`Section`: a title, who it is for (a question put
to ``releases.workflow``'s permission helpers, never a group name) and a
function that loads its rows in a fixed number of queries.  The home page
shows the sections, in :data:`SECTIONS` order, that are for the person.

Adding a section (the contacts manager's "requests for a new contact", say)
is one :class:`Section` passed to :func:`add_section`, from the app that
owns its rows (in its ``AppConfig.ready()``, or in this module's list if
``desk`` may import that app).  Nothing else in the desk changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    CharField,
    DateTimeField,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    TextField,
)
from django.urls import reverse
from django.utils import timezone

from contacts import requests as contact_requests
from core.dates import house_date, house_datetime, newsroom_tz
from core.i18n import name_local
from importer.models import ImportRecord
from journalists import rules as journalist_rules
from journalists.links import rule_url as journalist_rule_url
from journalists.models import Journalist
from releases import workflow
from releases.models import AuditLogEntry, PressRelease
from releases.workflow.permissions import can_translate, has_perm

Status = PressRelease.Status
Action = AuditLogEntry.Action

#: Rows per section: the dashboard is a to-do list, the changelist (the
#: section's "See all" link) is the archive.
ROWS = 10
#: "Recently published" looks this far back.
RECENT_DAYS = 7


@dataclass(frozen=True)
class Row:
    """One line of a section: what it is, where it leads, and what to know about it."""

    title: str
    url: str
    detail: str = ""
    #: A heading the row is grouped under (the timeline's day), shown when it changes.
    group: str = ""
    #: The force-publish audit entry a "Mark as checked" button would check.
    check_entry: int | None = None
    #: A second line, quoted: a reviewer's note, an import's review notes.
    note: str = ""
    #: Further links on the row (label, URL): an import's releases.
    links: tuple[tuple[str, str], ...] = ()


@dataclass
class Desk:
    """What a section's loader is given: the person, the instant, and a shared memo.

    Two sections read one query (my drafts and sent back to me): the memo
    lets the second reuse what the first loaded.
    """

    user: Any
    now: datetime.datetime
    memo: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, load: Callable[[], Any]) -> Any:
        if key not in self.memo:
            self.memo[key] = load()
        return self.memo[key]


@dataclass(frozen=True)
class Section:
    """A part of the dashboard; see the module's docstring to add one."""

    key: str
    title: str
    #: Who sees it (the person as ``request.user``).
    shown_to: Callable[[Any], bool]
    #: The rows, in a fixed number of queries whatever their number.
    rows: Callable[[Desk], list[Row]]
    #: What an empty section says (so an empty list reads as "nothing to do", not "broken").
    empty: str = "Nothing here."
    #: Where the whole list is ("See all"), or ``""``.
    more_url: Callable[[], str] | None = None
    #: A sentence under the title, saying what the list is.
    help: str = ""


@dataclass(frozen=True)
class Panel:
    """A section as shown to one person: its rows loaded."""

    section: Section
    rows: list[Row]

    @property
    def more(self) -> str:
        return self.section.more_url() if self.section.more_url else ""


# ---------------------------------------------------------------------------
# Who
# ---------------------------------------------------------------------------


def _writes(user: Any) -> bool:
    return has_perm(user, workflow.PERM_ADD)


def _reviews(user: Any) -> bool:
    return has_perm(user, workflow.PERM_REVIEW)


def _publishes(user: Any) -> bool:
    return has_perm(user, workflow.PERM_PUBLISH)


def _works_on_releases(user: Any) -> bool:
    return has_perm(user, workflow.PERM_CHANGE) or has_perm(user, workflow.PERM_VIEW)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def change_url(release_id: int) -> str:
    return reverse("admin:releases_pressrelease_change", args=[release_id])


def _list_url(**params: str) -> Callable[[], str]:
    def url() -> str:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        base = reverse("admin:releases_pressrelease_changelist")
        return f"{base}?{query}" if query else base

    return url


def _last(action: str | None, value: str) -> Subquery:
    """The newest audit entry's ``value`` for each release (of ``action``, or any)."""
    entries = AuditLogEntry.objects.filter(release=OuterRef("pk"))
    if action:
        entries = entries.filter(action=action)
    output = DateTimeField() if value == "created_at" else TextField()
    if value.endswith("username"):
        output = CharField()
    if value.endswith("_id"):
        output = IntegerField()
    return Subquery(entries.order_by("-created_at", "-id").values(value)[:1], output_field=output)


def _who(username: str | None) -> str:
    return username or "someone"


# ---------------------------------------------------------------------------
# The sections' rows
# ---------------------------------------------------------------------------


def _own_drafts(desk: Desk) -> list[PressRelease]:
    """The person's drafts, with the newest audit entry of each (was it a rejection?)."""
    return desk.once(
        "own_drafts",
        lambda: list(
            PressRelease.objects.filter(status=Status.DRAFT, created_by=desk.user)
            .annotate(
                last_action=_last(None, "action"),
                last_note=_last(None, "note"),
                last_at=_last(None, "created_at"),
                last_by=_last(None, "user__username"),
            )
            .only("id", "title", "modified_at")
            .order_by("-modified_at", "-id")[: ROWS * 2]
        ),
    )


def my_drafts(desk: Desk) -> list[Row]:
    return [
        Row(
            title=r.title or "(untitled)",
            url=change_url(r.pk),
            detail=f"Last changed {house_datetime(r.modified_at)}",
        )
        for r in _own_drafts(desk)
        if r.last_action != Action.REJECT
    ][:ROWS]


def sent_back(desk: Desk) -> list[Row]:
    return [
        Row(
            title=r.title or "(untitled)",
            url=change_url(r.pk),
            detail=f"Sent back by {_who(r.last_by)}, {house_datetime(r.last_at)}",
            note=r.last_note,
        )
        for r in _own_drafts(desk)
        if r.last_action == Action.REJECT
    ][:ROWS]


def awaiting_review(desk: Desk) -> list[Row]:
    releases = (
        PressRelease.objects.filter(status=Status.IN_REVIEW)
        .annotate(
            submitted_at=_last(Action.SUBMIT, "created_at"),
            submitted_by=_last(Action.SUBMIT, "user__username"),
            submitted_by_id=_last(Action.SUBMIT, "user_id"),
        )
        .only("id", "title", "created_by_id")
        .order_by("submitted_at", "id")[:ROWS]
    )
    rows = []
    for r in releases:
        detail = f"Submitted by {_who(r.submitted_by)}, {house_datetime(r.submitted_at)}"
        # The two-person rule (releases.workflow): the submitter cannot approve.
        submitter = r.submitted_by_id if r.submitted_by_id is not None else r.created_by_id
        if submitter == desk.user.pk:
            detail += " — your submission: another editor must approve it"
        rows.append(Row(title=r.title, url=change_url(r.pk), detail=detail))
    return rows


def approved(desk: Desk) -> list[Row]:
    releases = (
        PressRelease.objects.filter(status=Status.APPROVED)
        .annotate(
            approved_at=_last(Action.APPROVE, "created_at"),
            approved_by=_last(Action.APPROVE, "user__username"),
        )
        .only("id", "title")
        .order_by("approved_at", "id")[:ROWS]
    )
    return [
        Row(
            title=r.title,
            url=change_url(r.pk),
            detail=(
                f"Approved by {_who(r.approved_by)}, {house_datetime(r.approved_at)}"
                if r.approved_at
                else "Approved"
            ),
        )
        for r in releases
    ]


def _day_label(instant: datetime.datetime, now: datetime.datetime) -> str:
    """ "Today · 2 Dec 2026", "Tomorrow · 3 Dec 2026" or "Fri · 4 Dec 2026", in newsroom time."""
    zone = newsroom_tz()
    day = timezone.localtime(instant, zone).date()
    today = timezone.localtime(now, zone).date()
    if day == today:
        name = "Today"
    elif day == today + datetime.timedelta(days=1):
        name = "Tomorrow"
    else:
        name = f"{day:%a}"
    return f"{name} · {house_date(day)}"


def scheduled(desk: Desk) -> list[Row]:
    """Upcoming embargoes, soonest first, grouped by day in newsroom time."""
    releases = (
        PressRelease.objects.scheduled(desk.now)
        .only("id", "title", "publish_at")
        .order_by("publish_at", "id")[: ROWS * 2]
    )
    return [
        Row(
            title=r.title,
            url=change_url(r.pk),
            detail=f"Embargo lifts {house_datetime(r.publish_at, utc=True)}",
            group=_day_label(r.publish_at, desk.now),
        )
        for r in releases
    ]


def recently_published(desk: Desk) -> list[Row]:
    since = desk.now - datetime.timedelta(days=RECENT_DAYS)
    releases = (
        PressRelease.objects.published(desk.now)
        .filter(publish_at__gte=since)
        .only("id", "title", "publish_at", "created_by_id")
        .order_by("-publish_at", "-id")[:ROWS]
    )
    rows = []
    for r in releases:
        detail = f"Published {house_datetime(r.publish_at)}"
        if r.created_by_id == desk.user.pk:
            detail += " — yours"
        rows.append(Row(title=r.title, url=change_url(r.pk), detail=detail))
    return rows


def imports_to_check(desk: Desk) -> list[Row]:
    """Imports whose report left something to check and whose releases are still drafts.

    An import's ``review_notes`` are what the importer could not be sure of
    (a boilerplate that differs, lines it did not recognise); once its
    releases have moved on from draft, someone has dealt with them.
    Editors see every such import; others the ones they imported.
    """
    records = (
        ImportRecord.objects.exclude(review_notes="")
        .filter(releases__status=Status.DRAFT)
        .select_related("imported_by")
        .distinct()
        .order_by("-imported_at", "-id")
    )
    if not _reviews(desk.user):
        records = records.filter(imported_by=desk.user)
    records = records.prefetch_related(
        Prefetch(
            "releases",
            queryset=PressRelease.objects.filter(status=Status.DRAFT).only("id", "title"),
            to_attr="drafts",
        )
    )[:ROWS]
    return [
        Row(
            title=record.filename,
            url=change_url(record.drafts[0].pk) if record.drafts else "",
            detail=(
                f"Imported by {_who(getattr(record.imported_by, 'username', None))}, "
                f"{house_datetime(record.imported_at)}"
            ),
            note=record.review_notes,
            links=tuple((r.title, change_url(r.pk)) for r in record.drafts),
        )
        for record in records
    ]


def second_looks(desk: Desk) -> list[Row]:
    """Force-publishes nobody has checked yet, with a button for those who may check."""
    entries = (
        workflow.awaiting_second_look()
        .select_related("user")
        .only(
            "id",
            "release_id",
            "release_title",
            "created_at",
            "note",
            "user_id",
            "user__username",
            "needs_second_look",
            "checked_at",
            "checked_by_id",
        )[: ROWS * 2]
    )
    rows = []
    for entry in entries:
        detail = f"Force-published by {_who(getattr(entry.user, 'username', None))}, "
        detail += house_datetime(entry.created_at)
        may = workflow.can_mark_checked(desk.user, entry)
        if not may and entry.user_id == desk.user.pk:
            detail += " — yours: someone else must check it"
        rows.append(
            Row(
                title=entry.release_title,
                url=change_url(entry.release_id) if entry.release_id else "",
                detail=detail,
                note=entry.note,
                check_entry=entry.pk if may else None,
            )
        )
    return rows


def _asks_for_contacts(user: Any) -> bool:
    """Contacts managers (who act on requests) and those who may make one."""
    return contact_requests.handles_requests(user) or (
        user.is_authenticated and user.has_perm("contacts.add_contactrequest")
    )


def contact_requests_rows(desk: Desk) -> list[Row]:
    """Open requests for a new contact: every one for a contacts manager,
    one's own for the person who asked (``contacts.requests.open_requests``)."""
    rows = []
    for req in contact_requests.open_requests(desk.user, limit=ROWS):
        who = _who(getattr(req.requested_by, "username", None))
        detail = f"Asked by {who}, {house_datetime(req.created_at)}"
        if req.organisation_name:
            detail = f"{req.organisation_name} — {detail}"
        rows.append(
            Row(
                title=req.name,
                url=reverse("admin:contacts_contactrequest_change", args=[req.pk]),
                detail=detail,
                note=req.note,
            )
        )
    return rows


def _contact_requests_list() -> str:
    return reverse("admin:contacts_contactrequest_changelist") + "?status__exact=open"


def journalists_waiting(desk: Desk) -> list[Row]:
    """Journalists who signed up (or answered a question), verified their address and
    wait for a decision, oldest first, with what they submitted and the decision's buttons."""
    waiting = (
        Journalist.objects.waiting()
        .select_related("user")
        .prefetch_related("beats")
        .order_by("created_at")[:ROWS]
    )
    rows = []
    for j in waiting:
        beats = ", ".join(t.name for t in j.beats.all())
        detail = f"{j.role}, {j.outlet} — {j.user.email} — signed up {house_datetime(j.created_at)}"
        if j.status == Journalist.Status.MORE_INFO:
            detail += " — asked for more information"
        note = "; ".join(
            part
            for part in (
                f"Beats: {beats}" if beats else "",
                f"Countries: {j.countries}" if j.countries else "",
                f"Languages: {j.languages}" if j.languages else "",
                f"Work: {j.published_work_url}" if j.published_work_url else "",
            )
            if part
        )
        rows.append(
            Row(
                title=j.name,
                url=reverse("admin:journalists_journalist_change", args=[j.pk]),
                detail=detail,
                note=note,
                links=(
                    (f"Approve {j.name}", journalist_rule_url(j.pk, "approve")),
                    ("Ask for more", journalist_rule_url(j.pk, "more_info")),
                    ("Reject", journalist_rule_url(j.pk, "reject")),
                ),
            )
        )
    return rows


def translations_out_of_date(desk: Desk) -> list[Row]:
    """Translations whose source had a major change since they were brought in line.

    One query: the source's title, language and change instant come with
    the translation (``releases.workflow.translations`` says what "out of
    date" is; ``out_of_date_translations()`` is that rule as a filter).
    """
    stale = (
        PressRelease.objects.out_of_date_translations()
        .exclude(status__in=[Status.REMOVED, Status.WITHDRAWN])
        .select_related("translated_from")
        .only(
            "id",
            "title",
            "language",
            "translated_from__id",
            "translated_from__title",
            "translated_from__language",
            "translated_from__last_updated_at",
        )
        .order_by("translated_from__last_updated_at", "id")[:ROWS]
    )
    rows = []
    for r in stale:
        source = r.translated_from
        rows.append(
            Row(
                title=r.title,
                url=change_url(r.pk),
                detail=(
                    f"{name_local(r.language)} — its source “{source.title}” "
                    f"({name_local(source.language)}) changed "
                    f"{house_datetime(source.last_updated_at)}"
                ),
                links=(("Open the source", change_url(source.pk)),),
            )
        )
    return rows


def _journalists_waiting_list() -> str:
    return reverse("admin:journalists_journalist_changelist") + "?status__exact=pending"


def _second_look_list() -> str:
    return reverse("admin:releases_auditlogentry_changelist") + "?needs_second_look__exact=1"


def _imports_list() -> str:
    return reverse("admin:importer_importrecord_changelist")


#: The dashboard, top to bottom.  Add to it with :func:`add_section`.
SECTIONS: list[Section] = [
    Section(
        key="sent_back",
        title="Sent back to you",
        shown_to=_writes,
        rows=sent_back,
        empty="Nothing sent back.",
        help="Your drafts an editor returned, with what they asked you to change.",
    ),
    Section(
        key="awaiting_review",
        title="Awaiting your review",
        shown_to=_reviews,
        rows=awaiting_review,
        empty="Nothing waits for review.",
        more_url=_list_url(state=Status.IN_REVIEW),
        help="Submitted releases, the longest-waiting first.",
    ),
    Section(
        key="second_look",
        title="Force-published: awaiting a second look",
        shown_to=workflow.may_check_at_all,
        rows=second_looks,
        empty="No force-publish waits for a second look.",
        more_url=_second_look_list,
        help="Published without a second person. Read the release, then mark it as checked.",
    ),
    Section(
        key="approved",
        title="Approved, waiting to be scheduled",
        shown_to=_publishes,
        rows=approved,
        empty="Nothing approved waits for you.",
        more_url=_list_url(state=Status.APPROVED),
        help="Ready to publish now or to schedule for an embargo.",
    ),
    Section(
        key="scheduled",
        title="Scheduled",
        shown_to=lambda user: _publishes(user) or _reviews(user),
        rows=scheduled,
        empty="No embargo is scheduled.",
        more_url=_list_url(state="scheduled"),
        help="Upcoming embargoes in newsroom time, soonest first.",
    ),
    Section(
        key="my_drafts",
        title="Your drafts",
        shown_to=_writes,
        rows=my_drafts,
        empty="You have no drafts.",
        more_url=_list_url(state=Status.DRAFT),
        help="Releases you started and have not yet submitted.",
    ),
    Section(
        key="imports",
        title="Imports to check",
        shown_to=_writes,
        rows=imports_to_check,
        empty="No import waits to be checked.",
        more_url=_imports_list,
        help="Imported releases still in draft whose import noted something to check.",
    ),
    Section(
        key="contact_requests",
        title="Requests for a new contact",
        shown_to=_asks_for_contacts,
        rows=contact_requests_rows,
        empty="No request for a new contact is open.",
        more_url=_contact_requests_list,
        help="People and desks a release needs that are not in the contacts yet.",
    ),
    Section(
        key="journalists_waiting",
        title="Journalists waiting for approval",
        shown_to=journalist_rules.may_vet,
        rows=journalists_waiting,
        empty="No journalist is waiting for approval.",
        more_url=_journalists_waiting_list,
        help="Journalists who signed up for embargoed access: check who they are, then decide.",
    ),
    Section(
        key="translations_out_of_date",
        title="Translations out of date",
        shown_to=can_translate,
        rows=translations_out_of_date,
        empty="Every translation is up to date with its source.",
        help=(
            "Their source had a major change after they were translated: bring them in "
            "line, then tick “Up to date with its source” on the translation."
        ),
    ),
    Section(
        key="recent",
        title="Recently published",
        shown_to=_works_on_releases,
        rows=recently_published,
        empty=f"Nothing published in the last {RECENT_DAYS} days.",
        more_url=_list_url(state="live"),
        help=f"Public in the last {RECENT_DAYS} days.",
    ),
]


def add_section(section: Section, *, before: str | None = None) -> None:
    """Put ``section`` on the dashboard (before the section keyed ``before``, else last).

    Adding a key twice replaces the first (so a reloaded module does not double it).
    """
    SECTIONS[:] = [s for s in SECTIONS if s.key != section.key]
    keys = [s.key for s in SECTIONS]
    SECTIONS.insert(keys.index(before) if before in keys else len(SECTIONS), section)


def panels(user: Any, now: datetime.datetime | None = None) -> list[Panel]:
    """The sections for ``user``, each with its rows loaded."""
    desk = Desk(user=user, now=now or timezone.now())
    return [Panel(s, s.rows(desk)) for s in SECTIONS if s.shown_to(user)]

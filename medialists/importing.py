"""Importing people from CSV and vCard files: read, map, preview, apply.

The steps, each a pure function of the file's text so the preview is exactly
what the confirmation writes:

1. :func:`decode` — UTF-8 (with or without BOM), else a clear "save it as
   UTF-8" message; over ``MEDIALISTS_IMPORT_MAX_BYTES`` or
   ``MEDIALISTS_IMPORT_MAX_ROWS``, a clear limit message.
2. :func:`read_rows` — CSV (any of , ; tab) or vCard into header + rows.
3. :func:`plan` — with a column mapping, each row becomes *create*, *update*
   (same e-mail, case-insensitive: empty fields are filled, beats added) or
   *skip* with its reason: no name or e-mail, a bad e-mail, the same e-mail
   twice in the file, a possible duplicate (a similar name at the same
   outlet), or a cell starting with ``=``, ``+``, ``-`` or ``@`` (a
   spreadsheet formula; a phone's leading ``+`` is no formula).
4. :func:`apply` — the plan in one transaction: all or nothing.

Export (:func:`export_rows`) neutralises the same prefixes with a leading
apostrophe, so a cell never runs as a formula in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from medialists import people
from medialists.models import MediaPerson, Outlet

#: Fields a column may be mapped to, and the header names guessed for each.
FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "fn", "journalist", "contact"),
    "email": ("email", "e-mail", "email address", "mail", "primary email"),
    "other_emails": ("other emails", "other e-mails", "email 2", "secondary email"),
    "outlet": ("outlet", "organisation", "organization", "org", "media", "company"),
    "outlet_kind": ("outlet type", "media type", "type"),
    "role": ("role", "title", "job title", "position"),
    "beats": ("beats", "beat", "topics", "tags"),
    "countries": ("countries", "country"),
    "languages": ("languages", "language", "lang"),
    "phones": ("phones", "phone", "telephone", "tel", "mobile"),
    "notes": ("notes", "note", "comments"),
}
REQUIRED = ("name", "email")
_FORMULA = re.compile(r"^[=@\t\r]|^[+-](?![\d\s().-]*$)")
_EXPORT_RISK = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(Exception):
    """The file cannot be read at all: the message says why and what to do."""


@dataclass
class RowPlan:
    line: int
    action: str  # create | update | skip
    reason: str = ""
    values: dict[str, str] = field(default_factory=dict)
    person_id: int | None = None


@dataclass
class Plan:
    rows: list[RowPlan]
    new_outlets: list[str]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)


def decode(data: bytes) -> str:
    if len(data) > settings.MEDIALISTS_IMPORT_MAX_BYTES:
        raise ImportFileError(
            f"The file is {len(data) // 2**20} MB; at most "
            f"{settings.MEDIALISTS_IMPORT_MAX_BYTES // 2**20} MB can be imported at once. "
            "Split it into smaller files."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"The file is not UTF-8 text (unreadable byte at position {error.start}). "
            "In your spreadsheet, save it as “CSV UTF-8” and upload it again."
        ) from error
    if "\x00" in text:
        raise ImportFileError("The file holds binary data: upload a CSV or vCard text file.")
    return text


def read_rows(text: str, kind: str) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of a CSV or vCard file; a clear error when unusable."""
    if kind == "vcard":
        return _read_vcards(text)
    sample = text[:5000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        reader = csv.reader(io.StringIO(text), dialect)
        header = [h.strip() for h in next(reader, [])]
        rows = []
        limit = settings.MEDIALISTS_IMPORT_MAX_ROWS
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            rows.append(row)
            if len(rows) > limit:
                raise ImportFileError(
                    f"The file has more than {limit:,} rows; at most {limit:,} can be "
                    "imported at once. Split it into smaller files."
                )
    except csv.Error as error:
        raise ImportFileError(f"The CSV file cannot be read: {error}.") from error
    if not any(header):
        raise ImportFileError("The file is empty: the first line must name the columns.")
    if not rows:
        raise ImportFileError("The file has a header line but no rows.")
    return header, rows


def _read_vcards(text: str) -> tuple[list[str], list[list[str]]]:
    import vobject

    header = ["name", "email", "other_emails", "outlet", "role", "phones", "notes"]
    rows = []
    try:
        for card in vobject.readComponents(text, ignoreUnreadable=True):

            def values(name: str, card=card) -> list[str]:
                return [str(c.value).strip() for c in card.contents.get(name, []) if c.value]

            emails = values("email")
            org = card.contents.get("org")
            outlet = ""
            if org and org[0].value:
                value = org[0].value
                outlet = value[0] if isinstance(value, list) else str(value)
            rows.append(
                [
                    (values("fn") or [""])[0],
                    emails[0] if emails else "",
                    "\n".join(emails[1:]),
                    outlet,
                    (values("title") or [""])[0],
                    "\n".join(values("tel")),
                    (values("note") or [""])[0],
                ]
            )
            if len(rows) > settings.MEDIALISTS_IMPORT_MAX_ROWS:
                raise ImportFileError(
                    f"The file has more than {settings.MEDIALISTS_IMPORT_MAX_ROWS:,} cards."
                )
    except ImportFileError:
        raise
    except Exception as error:  # vobject raises many kinds for a broken card
        raise ImportFileError(f"The vCard file cannot be read: {error}.") from error
    if not rows:
        raise ImportFileError("The file holds no vCard (BEGIN:VCARD … END:VCARD).")
    return header, rows


def guess_mapping(header: list[str]) -> dict[str, int]:
    """field → column index, from the header's names."""
    mapping: dict[str, int] = {}
    for index, name in enumerate(header):
        key = " ".join(name.lower().replace("_", " ").split())
        for target, names in FIELDS.items():
            if target not in mapping and (key == target.replace("_", " ") or key in names):
                mapping[target] = index
    return mapping


def missing(mapping: dict[str, int]) -> list[str]:
    return [f for f in REQUIRED if f not in mapping]


def plan(
    header: list[str],
    rows: list[list[str]],
    mapping: dict[str, int],
    progress: Callable[[int], None] | None = None,
    every: int = 500,
) -> Plan:
    """What the import would do with each row (nothing is written).

    ``progress`` (the worker's import) is told the number of rows checked
    every ``every`` rows."""
    if missing(mapping):
        raise ImportFileError(
            "Choose a column for: " + ", ".join(missing(mapping)) + " (they are required)."
        )
    existing = {
        p["email"]: p for p in MediaPerson.objects.values("pk", "email", "name", "outlet_id")
    }
    outlets = {o.name.lower(): o for o in Outlet.objects.all()}
    by_outlet: dict[int, list[tuple[int, str]]] = {}
    for p in existing.values():
        if p["outlet_id"]:
            by_outlet.setdefault(p["outlet_id"], []).append((p["pk"], p["name"]))
    seen: dict[str, int] = {}
    new_outlets: list[str] = []
    planned: list[RowPlan] = []
    for number, row in enumerate(rows, start=2):
        if progress is not None and number > 2 and (number - 2) % every == 0:
            progress(number - 2)
        values = {
            f: (row[i].strip() if i < len(row) else "") for f, i in mapping.items() if i is not None
        }
        risky = [f for f, v in values.items() if _FORMULA.match(v)]
        email = values.get("email", "").lower()
        values["email"] = email
        if risky:
            planned.append(
                RowPlan(number, "skip", f"a formula-like cell in {', '.join(risky)}", values)
            )
            continue
        if not values.get("name") or not email:
            planned.append(RowPlan(number, "skip", "no name or no e-mail", values))
            continue
        try:
            validate_email(email)
        except ValidationError:
            planned.append(RowPlan(number, "skip", f"“{email}” is not an e-mail address", values))
            continue
        if email in seen:
            planned.append(
                RowPlan(number, "skip", f"the same e-mail as line {seen[email]}", values)
            )
            continue
        seen[email] = number
        outlet_name = values.get("outlet", "")
        if email in existing:
            planned.append(RowPlan(number, "update", "same e-mail", values, existing[email]["pk"]))
            continue
        outlet = outlets.get(outlet_name.lower()) if outlet_name else None
        if outlet is not None:
            lookalike = next(
                (n for _, n in by_outlet.get(outlet.pk, []) if people.similar(n, values["name"])),
                None,
            )
            if lookalike:
                planned.append(
                    RowPlan(
                        number,
                        "skip",
                        f"possible duplicate of {lookalike} at {outlet.name}: add by hand or merge",
                        values,
                    )
                )
                continue
        if (
            outlet_name
            and outlet is None
            and outlet_name.lower() not in map(str.lower, new_outlets)
        ):
            new_outlets.append(outlet_name)
        planned.append(RowPlan(number, "create", "", values))
    return Plan(planned, new_outlets)


def apply(
    result: Plan,
    basis: str,
    source: str,
    progress: Callable[[int], None] | None = None,
    every: int = 1000,
) -> dict[str, int]:
    """Write the plan, all or nothing.

    New people are written in bulk (their links to an alerts subscriber or a
    journalist account looked up once for the whole file); existing ones are
    updated one by one, filling only what is empty.  ``progress`` (the
    worker's import) is told how many rows are done (every ``every`` rows
    prepared, every thousand people written, every 5,000 beats linked).
    """
    from alerts.models import Subscriber
    from journalists.models import Journalist

    now = timezone.now()
    counts = {"created": 0, "updated": 0, "skipped": result.count("skip")}
    todo = [row for row in result.rows if row.action != "skip"]

    def step(stage: int, fraction: float) -> None:
        """Three stages (prepare the rows, write the people, link the beats),
        each a third of the rows to write."""
        if progress is not None and todo:
            progress(int(len(todo) * (stage + fraction) / 3))

    emails = [row.values["email"] for row in todo]
    with transaction.atomic():
        outlets = _outlets(todo)
        subscribers = _by_email(Subscriber.objects.all(), "email", emails)
        journalists = _by_email(
            Journalist.objects.select_related("user"), "user__email", emails, "user.email"
        )
        tags = _TagCache()
        beats: list[tuple[MediaPerson, list[str]]] = []
        fresh: list[MediaPerson] = []
        for index, row in enumerate(todo):
            if index and index % every == 0:
                step(0, index / len(todo))
            v = row.values
            if row.action == "create":
                person = MediaPerson(
                    email=v["email"],
                    consent_basis=basis,
                    consent_recorded_at=now,
                    consent_source=source[:200],
                )
            else:
                person = MediaPerson.objects.get(pk=row.person_id)
            _fill(person, v, outlets)
            names = [b.strip() for b in re.split(r"[;,|]", v.get("beats", "")) if b.strip()]
            if row.action == "create":
                person.normalise(link=False)
                person.subscriber = subscribers.get(person.email)
                person.journalist = journalists.get(person.email)
                fresh.append(person)
            else:
                person.save()
                counts["updated"] += 1
            if names:
                beats.append((person, names))
        for start in range(0, len(fresh), 1000):
            MediaPerson.objects.bulk_create(fresh[start : start + 1000])
            step(1, min(start + 1000, len(fresh)) / len(fresh))
        counts["created"] = len(fresh)
        through = MediaPerson.beats.through
        links = [
            through(mediaperson_id=person.pk, tag_id=tags.get(name).pk)
            for person, names in beats
            for name in names
        ]
        for start in range(0, len(links), 5000):
            through.objects.bulk_create(
                links[start : start + 5000], batch_size=2000, ignore_conflicts=True
            )
            step(2, min(start + 5000, len(links)) / len(links))
        step(2, 1.0)
    return counts


def _outlets(rows: list[RowPlan]) -> dict[str, Outlet]:
    """The outlets the rows name, by lower-cased name, created when new."""
    outlets = {o.name.lower(): o for o in Outlet.objects.all()}
    kinds = {label.lower(): value for value, label in Outlet.Kind.choices}
    kinds.update({v: v for v in Outlet.Kind.values})
    for row in rows:
        name = row.values.get("outlet", "")[:200]
        if name and name.lower() not in outlets:
            kind = kinds.get(row.values.get("outlet_kind", "").lower(), Outlet.Kind.ONLINE)
            outlets[name.lower()] = Outlet.objects.create(name=name, kind=kind)
    return outlets


def _by_email(queryset, field: str, emails: list[str], attribute: str = "email") -> dict:
    found = {}
    for start in range(0, len(emails), 1000):
        chunk = emails[start : start + 1000]
        for item in queryset.filter(**{f"{field}__in": chunk}):
            value = item
            for part in attribute.split("."):
                value = getattr(value, part)
            found[value.lower()] = item
    return found


def _fill(person: MediaPerson, v: dict[str, str], outlets: dict[str, Outlet]) -> None:
    """Fill what is empty on ``person`` from a row (an update never overwrites)."""
    for name in ("name", "role", "countries", "languages", "notes"):
        if v.get(name) and not getattr(person, name):
            setattr(person, name, v[name][: 200 if name != "notes" else 10000])
    if v.get("other_emails"):
        person.other_emails = "\n".join([person.other_emails, v["other_emails"]])
    if v.get("phones"):
        person.phones = "\n".join([person.phones, v["phones"]])
    outlet = outlets.get(v.get("outlet", "")[:200].lower()) if v.get("outlet") else None
    if outlet is not None and person.outlet_id is None:
        person.outlet = outlet


class _TagCache:
    """Beats are the releases' tags: found by name (any case) or slug, else created."""

    def __init__(self) -> None:
        self.tags: dict[str, Tag] = {}

    def get(self, name: str) -> Tag:
        from django.utils.text import slugify

        key = name[:100].lower()
        if key not in self.tags:
            slug = slugify(name)[:100] or "beat"
            found = (
                Tag.objects.filter(name__iexact=name[:100]).first()
                or Tag.objects.filter(slug=slug).first()
            )
            self.tags[key] = found or Tag.objects.create(name=name[:100], slug=slug)
        return self.tags[key]


EXPORT_HEADER = [
    "name", "email", "other_emails", "outlet", "outlet_type", "role", "beats", "countries",
    "languages", "phones", "consent_basis", "consent_recorded_at", "consent_source",
    "do_not_contact", "notes",
]  # fmt: skip


def neutralise(value: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(_EXPORT_RISK) else value


def export_rows(queryset: Iterable[MediaPerson]) -> Iterable[list[str]]:
    yield EXPORT_HEADER
    for p in queryset:
        yield [
            neutralise(str(v))
            for v in (
                p.name,
                p.email,
                p.other_emails.replace("\n", "; "),
                p.outlet.name if p.outlet else "",
                p.outlet.kind if p.outlet else "",
                p.role,
                "; ".join(t.name for t in p.beats.all()),
                p.countries,
                p.languages,
                p.phones.replace("\n", "; "),
                p.consent_basis,
                p.consent_recorded_at.isoformat() if p.consent_recorded_at else "",
                p.consent_source,
                "yes" if p.do_not_contact else "",
                p.notes,
            )
        ]

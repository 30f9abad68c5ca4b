"""Parsed releases → database rows, in one transaction.

The one code path for the management command and the admin: both call
:func:`import_bytes`.  Rules that make an import safe to run on a live
newsroom:

* releases are created as drafts and nothing is ever published;
* organisations are matched by name or acronym, contacts by e-mail
  (case-insensitive), so nothing is duplicated;
* each file is imported inside one transaction: all or nothing;
* the file's SHA-256 is recorded, so importing it again writes nothing;
* a release that looks like one already in the newsroom (the same bulletin
  as .txt then as .docx) is skipped unless asked for (``importer.duplicates``);
* a dry run does the same work and rolls it back, so its report is exact.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from html import escape
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q

from bulletins.models import Bulletin, BulletinItem
from contacts.models import MediaContact, Organisation
from contacts.phones import validate_phone
from core.dates import house_datetime
from core.i18n import language_codes
from core.richtext import html_to_text
from importer.duplicates import find_duplicates
from importer.errors import AlreadyImportedError, ImportFileError
from importer.limits import check_document
from importer.models import ImportRecord
from importer.outcome import ImportOutcome, ReleaseOutcome
from importer.parser import ParsedDocument, ParsedRelease, parse
from importer.reader import read_source
from importer.report import render_report
from importer.suggestions import TagVocabulary, suggest_partnerships
from importer.text import SLUG_LIMIT, sentence_case, slug_base
from releases.models import PressRelease, ReleaseContact, ReleaseOrganisation
from releases.models.release import unique_slug

_BULLET_RE = re.compile(r"^(?:[-*•]|\d+[.)])\s+")

#: The release's own fields staff may correct in the admin preview, set as
#: they are on the parsed release (``PressRelease.CONTENT_FIELDS`` less the
#: body, which the preview edits as plain paragraphs: ``body_text``).  The
#: preview also corrects the issuers, contacts, tags and partnerships: see
#: :func:`apply_overrides` for every key it may pass.
EDITABLE_FIELDS = ("title", "dateline_place", "dateline_date", "summary")
#: Contact details the preview lets staff correct.
CONTACT_FIELDS = ("name", "job_title", "email", "phone")

_UN_ACRONYMS = {
    "IOM", "UNHCR", "UNICEF", "UNDP", "UNFPA", "WHO", "WFP", "UNODC", "ILO", "FAO",
    "UNESCO", "OCHA", "OHCHR", "UNOPS", "UNEP", "UNAIDS", "UNRWA", "IFAD", "UN",
}  # fmt: skip


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prepare(data: bytes, filename: str) -> tuple[ParsedDocument, str, str]:
    """Read and parse without touching the database: (document, encoding, text)."""
    source = read_source(data, filename)
    document = parse(source.text)
    check_document(document, source.filename)
    if not document.releases:
        raise ImportFileError(
            f"{source.filename}: no press release was recognised. A release needs a "
            "“PRESS RELEASE” label or a dateline such as “Islamabad, 18 October 2023:”."
        )
    return document, source.encoding, source.text


def body_text(release: ParsedRelease) -> str:
    """The body's paragraphs as plain text, one blank line between them: what
    the preview offers to correct (and :func:`apply_overrides` reads back)."""
    return "\n\n".join(release.paragraphs)


def headline_keep(document: ParsedDocument, release: ParsedRelease) -> list[str]:
    """Names a sentence-case headline keeps as written: the organisations of the
    file (names and acronyms) and the dateline place."""
    keep = [release.dateline_place]
    for org in document.organisations.values():
        keep += [org.name, org.acronym]
    return [k for k in keep if k]


def apply_overrides(document: ParsedDocument, overrides: dict[int, dict[str, Any]]) -> None:
    """Staff corrections from the admin preview, by release position.

    Keys: the :data:`EDITABLE_FIELDS`; ``headline_case`` ("sentence" puts the
    title in sentence case); ``body_text`` (paragraphs, blank-line separated);
    ``organisation_keys`` (the issuers, in order, among the file's
    organisations); ``contacts`` (per parsed contact: ``keep`` and the
    :data:`CONTACT_FIELDS`).  The same dict's ``tags`` and ``partnerships``
    are linked by the writer once the release exists; "import anyway" is
    ``import_bytes``'s ``force``.
    """
    for index, values in overrides.items():
        if not 0 <= index < len(document.releases):
            continue
        release = document.releases[index]
        for name in EDITABLE_FIELDS:
            if name in values:
                setattr(release, name, values[name] or ("" if name != "dateline_date" else None))
        if values.get("headline_case") == "sentence":
            release.title = sentence_case(release.title, headline_keep(document, release))
        if "body_text" in values:
            text = (values["body_text"] or "").replace("\r\n", "\n")
            release.paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        if "organisation_keys" in values:
            keys = [k for k in values["organisation_keys"] if k in document.organisations]
            release.organisation_keys = list(dict.fromkeys(keys))
        if "contacts" in values:
            kept = []
            for contact, edits in zip(release.contacts, values["contacts"], strict=False):
                if not edits.get("keep", True):
                    continue
                for name in CONTACT_FIELDS:
                    if name in edits:
                        setattr(contact, name, (edits[name] or "").strip())
                if contact.name:
                    kept.append(contact)
            release.contacts = kept


def import_bytes(
    data: bytes,
    filename: str,
    *,
    user: AbstractBaseUser | None = None,
    organisation: Organisation | None = None,
    dry_run: bool = False,
    overrides: dict[int, dict[str, Any]] | None = None,
    force: bool | Collection[int] = False,
    language: str | None = None,
) -> ImportOutcome:
    """Import one file; raise ``ImportFileError`` (nothing written) if it cannot be.

    A release that looks like one already in the newsroom is skipped (and
    reported) unless ``force`` is true or holds its position.  When every
    release is skipped nothing at all is written, not even the import record,
    so the same file can still be imported later with ``force``.
    ``overrides`` may also give, per release, ``tags`` (names) and
    ``partnerships`` (``Partnership`` rows) to link.  ``language`` sets
    every release's language; by default each is read from its script.
    """
    document, encoding, text = prepare(data, filename)
    if overrides:
        apply_overrides(document, overrides)
    digest = sha256_of(data)
    name = filename.rsplit("/", 1)[-1]
    outcome = ImportOutcome(name, encoding, digest, dry_run, document, text)
    try:
        with transaction.atomic():
            _refuse_if_imported(digest, name)
            _Writer(outcome, user, organisation, overrides or {}, force, language).write()
            if dry_run or outcome.nothing_written:
                transaction.set_rollback(True)
    except IntegrityError as exc:
        _refuse_if_imported(digest, name)  # lost a race with an identical import
        raise ImportFileError(f"{name}: could not be saved ({exc}); nothing was written.") from exc
    except ValidationError as exc:
        raise ImportFileError(f"{name}: {'; '.join(exc.messages)}; nothing was written.") from exc
    return outcome


def _refuse_if_imported(digest: str, name: str) -> None:
    previous = ImportRecord.objects.filter(sha256=digest).select_related("imported_by").first()
    if previous:
        who = f" by {previous.imported_by}" if previous.imported_by else ""
        raise AlreadyImportedError(
            f"{name}: already imported on {house_datetime(previous.imported_at)}{who} "
            f"(as “{previous.filename}”); nothing was changed."
        )


def paragraphs_to_html(paragraphs: list[str]) -> str:
    """Plain paragraphs → the editor's HTML (escaped; bullet lines become a list)."""
    html = []
    for paragraph in paragraphs:
        lines = paragraph.split("\n")
        if len(lines) > 1 and all(_BULLET_RE.match(ln) for ln in lines):
            items = "".join(f"<li>{escape(_BULLET_RE.sub('', ln))}</li>" for ln in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append(f"<p>{escape(paragraph)}</p>")
    return "".join(html)


def _website(value: str) -> str:
    url = value if value.lower().startswith(("http://", "https://")) else f"https://{value}"
    try:
        URLValidator()(url)
    except ValidationError:
        return ""
    return url


def _guess_kind(name: str, acronym: str, parent: Organisation | None) -> str:
    if parent is not None:
        return parent.kind
    low = name.lower()
    if acronym.upper() in _UN_ACRONYMS or "united nations" in low or "migration" in low:
        return Organisation.Kind.UN_AGENCY
    if "human rights" in low and ("commission" in low or "institution" in low):
        return Organisation.Kind.NHRI
    if re.search(r"\b(ministry|federal|government|authority|police|department)\b", low):
        return Organisation.Kind.GOVERNMENT
    return Organisation.Kind.OTHER


class _Writer:
    def __init__(
        self,
        outcome: ImportOutcome,
        user: AbstractBaseUser | None,
        organisation: Organisation | None,
        overrides: dict[int, dict[str, Any]] | None = None,
        force: bool | Collection[int] = False,
        language: str | None = None,
    ) -> None:
        self.outcome = outcome
        self.language = language
        self.overrides = overrides or {}
        self.force = force
        self.tags = TagVocabulary()
        self.document = outcome.document
        self.user = user if user is not None and user.is_authenticated else None
        self.lead_override = organisation
        self.orgs: dict[str, Organisation] = {}
        self.review: list[str] = []

    def release_language(self, parsed: ParsedRelease) -> str:
        """The language chosen for the import, else the one read from the
        release's script (``parser.detect_language``), else the default; a
        code the newsroom does not publish in is never written."""
        for code in (self.language, parsed.language):
            if code and code in language_codes():
                return code
        return settings.LANGUAGE_CODE

    # Organisations ---------------------------------------------------------
    def organisation(self, key: str) -> Organisation | None:
        if not key or key not in self.document.organisations:
            return None
        if key in self.orgs:
            return self.orgs[key]
        parsed = self.document.organisations[key]
        parent = self.organisation(parsed.parent_key) if parsed.parent_key else None
        found = self.existing_organisation(key)
        label = f"{parsed.name} ({parsed.acronym})" if parsed.acronym else parsed.name
        if found is not None:
            self.outcome.organisations_matched.append(label)
        else:
            found = Organisation(
                name=parsed.name[:200],
                acronym=parsed.acronym[:30],
                slug=unique_slug(Organisation, parsed.acronym or parsed.name),
                parent=parent,
                kind=_guess_kind(parsed.name, parsed.acronym, parent),
            )
            found.save()
            self.outcome.organisations_created.append(label)
        self.orgs[key] = found
        return found

    def existing_organisation(self, key: str) -> Organisation | None:
        """The saved organisation a parsed one is (by name, then acronym), if any."""
        parsed = self.document.organisations.get(key)
        if parsed is None:
            return None
        found = Organisation.objects.filter(name__iexact=parsed.name).first()
        if found is None and parsed.acronym:
            found = (
                Organisation.objects.filter(
                    Q(acronym__iexact=parsed.acronym) | Q(name__iexact=parsed.acronym)
                )
                .order_by("parent_id", "id")
                .first()
            )
        return found

    # Whole document -------------------------------------------------------------
    def forced(self, index: int) -> bool:
        return self.force is True or (not isinstance(self.force, bool) and index in self.force)

    def write(self) -> None:
        created: list[PressRelease] = []
        for index, parsed in enumerate(self.document.releases):
            duplicates = find_duplicates(
                parsed.title, parsed.summary, exclude=[r.pk for r in created]
            )
            if duplicates and not self.forced(index):
                result = self.skip_release(parsed, duplicates)
            else:
                result = self.write_release(parsed, index)
                result.duplicates = duplicates
                self.review += [
                    f"Release {index + 1} (“{parsed.title}”): imported anyway, although it "
                    + duplicate.describe()
                    for duplicate in duplicates
                ]
                created.append(result.release)
            self.outcome.releases.append(result)
        if not created:
            # Every release is already in the newsroom: write nothing, so the
            # file can still be imported with "import anyway".
            self.outcome.nothing_written = True
            return
        self.write_bulletin(created)
        outcome = self.outcome
        record = ImportRecord.objects.create(
            sha256=outcome.sha256,
            filename=outcome.filename[:255],
            encoding=outcome.encoding,
            imported_by=self.user,
            result=outcome.summary[:300],
            review_notes="\n".join(self.review),
            bulletin=outcome.bulletin,
        )
        record.releases.set(created)
        outcome.record = record
        record.report = render_report(outcome)
        record.save(update_fields=["report"])

    def write_bulletin(self, releases: list[PressRelease]) -> None:
        parsed = self.document.bulletin
        if parsed is None:
            return
        if parsed.date is None:
            self.outcome.warnings.append(
                "The file has a “Media Update” header but no date anywhere; no bulletin was made."
            )
            return
        organisation = self.lead_override or self.organisation(parsed.organisation_key)
        bulletin = Bulletin.objects.create(
            title=parsed.title[:300],
            date=parsed.date,
            organisation=organisation,
            intro="\n".join(parsed.intro),
        )
        BulletinItem.objects.bulk_create(
            BulletinItem(bulletin=bulletin, release=release, order=i)
            for i, release in enumerate(releases)
        )
        self.outcome.bulletin = bulletin
        self.outcome.bulletin_lines = [*parsed.source, *parsed.intro]

    # One release ------------------------------------------------------------
    def skip_release(self, parsed: ParsedRelease, duplicates: list) -> ReleaseOutcome:
        """A likely duplicate: nothing written; what it resembles, and what it
        would have been given, for the preview's "import anyway"."""
        result = ReleaseOutcome(parsed, duplicates=duplicates, skipped=True)
        found = [self.existing_organisation(key) for key in parsed.organisation_keys]
        orgs = [org for org in found if org is not None]
        result.issuers = [org.short_name for org in orgs]
        self.suggest(parsed, orgs, result)
        return result

    def suggest(
        self, parsed: ParsedRelease, orgs: list[Organisation], result: ReleaseOutcome
    ) -> None:
        text = "\n".join([parsed.title, parsed.summary, *parsed.paragraphs])
        result.suggested_tags = self.tags.suggest(text)
        result.suggested_partnerships = suggest_partnerships(orgs, text)

    def write_release(self, parsed: ParsedRelease, index: int) -> ReleaseOutcome:
        result = ReleaseOutcome(parsed)
        result.recognised += [f"label “{label}”" for label in parsed.labels]
        if parsed.dateline_source:
            date = parsed.dateline_date
            result.recognised.append(
                f"dateline “{parsed.dateline_source}” → {parsed.dateline_place}, "
                f"{date.day} {date:%B %Y}"
                if date
                else f"dateline “{parsed.dateline_source}” → {parsed.dateline_place}"
            )
        result.recognised += [f"closing mark “{mark}”" for mark in parsed.closing]
        result.recognised += [f"heading “{header}”" for header in parsed.contact_headers]
        if parsed.quotes:
            result.recognised.append(f"{len(parsed.quotes)} quotation(s)")
        result.review += parsed.warnings

        issuers = self.issuers(parsed)
        result.issuers = [org.short_name for org in issuers]
        unrecognised = list(parsed.unrecognised)
        body = paragraphs_to_html(parsed.paragraphs)
        if parsed.notes:
            body += "<h3>Notes to editors</h3>" + paragraphs_to_html(parsed.notes)
        release = PressRelease(
            title=(parsed.title or "Untitled release")[:300],
            summary=parsed.summary,
            dateline_place=(parsed.dateline_place or "")[:120],
            dateline_date=parsed.dateline_date,
            language=self.release_language(parsed),
            status=PressRelease.Status.DRAFT,
            created_by=self.user,
            updated_by=self.user,
        )
        release.slug = import_slug(release.title)
        release.body = body
        release.save()
        result.release = release
        result.created.append(f"draft release “{release.title}”")
        ReleaseOrganisation.objects.bulk_create(
            ReleaseOrganisation(release=release, organisation=org, order=i)
            for i, org in enumerate(issuers)
        )
        extras = self.overrides.get(index, {})
        if extras.get("tags"):
            release.tags.add(*extras["tags"])
            result.created.append("tags: " + ", ".join(extras["tags"]))
        if extras.get("partnerships"):
            release.partnerships.add(*extras["partnerships"])
            result.created.append(
                "partnerships: " + ", ".join(p.title for p in extras["partnerships"])
            )
        contact_orgs = [self.organisation(c.organisation_key) for c in parsed.contacts]
        self.suggest(parsed, [*issuers, *[o for o in contact_orgs if o is not None]], result)
        self.write_abouts(parsed, result)
        unrecognised += self.write_contacts(parsed, release, issuers, result)
        unrecognised += self.write_inboxes(parsed, result)
        if unrecognised:
            # Kept verbatim in the body so staff see it where they edit.
            release.body = body + paragraphs_to_html(unrecognised)
            release.save(update_fields=["body"])
            result.unrecognised = unrecognised
        for note in result.review:
            self.review.append(f"Release {index + 1} (“{release.title}”): {note}")
        return result

    def issuers(self, parsed: ParsedRelease) -> list[Organisation]:
        orgs: list[Organisation] = []
        bulletin_key = self.document.bulletin.organisation_key if self.document.bulletin else ""
        if self.lead_override is not None:
            orgs.append(self.lead_override)
        for key in parsed.organisation_keys:
            if self.lead_override is not None and key == bulletin_key:
                continue
            org = self.organisation(key)
            if org is not None and org not in orgs:
                orgs.append(org)
        return orgs

    def write_abouts(self, parsed: ParsedRelease, result: ReleaseOutcome) -> None:
        for about in parsed.abouts:
            org = self.organisation(about.organisation_key)
            html = paragraphs_to_html([p for p in about.text.split("\n\n") if p.strip()])
            if org is None or not html:
                result.unrecognised.append(about.source)
                continue
            result.recognised.append(f"boilerplate “{about.source}”")
            if not org.about:
                org.about = html
                org.save(update_fields=["about", "updated_at"])
                result.created.append(f"“About” boilerplate of {org.short_name}")
            elif _same_text(org.about, html):
                result.matched.append(f"“About” boilerplate of {org.short_name} (unchanged)")
            else:
                result.review.append(
                    f"the “About {about.subject}” text differs from the saved boilerplate of "
                    f"{org.name}; the saved one was kept. Imported text: {about.text}"
                )

    def write_contacts(
        self,
        parsed: ParsedRelease,
        release: PressRelease,
        issuers: list[Organisation],
        result: ReleaseOutcome,
    ) -> list[str]:
        leftovers: list[str] = []
        order = 0
        for item in parsed.contacts:
            result.recognised.append("contact “" + " / ".join(item.source) + "”")
            leftovers += item.extra
            org = self.organisation(item.organisation_key) or (issuers[0] if issuers else None)
            email = item.email
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    leftovers.append(email)
                    email = ""
            phone, notes = item.phone, ""
            if phone:
                try:
                    validate_phone(phone)
                except ValidationError:
                    notes = f"Phone as written in the import: {phone}"
                    leftovers.append(phone)
                    phone = ""
            contact = None
            if email:
                contact = MediaContact.objects.filter(email__iexact=email).first()
            if contact is None and org is not None:
                # Same person without an e-mail on file (or none in the file).
                same = MediaContact.objects.filter(name__iexact=item.name, organisation=org)
                contact = (same if not email else same.filter(email="")).first()
                if contact is not None and email:
                    contact.email = email  # fill the blank; never overwrite
                    contact.save(update_fields=["email", "updated_at"])
            if contact is not None:
                result.matched.append(f"contact {contact.full_name} <{contact.email}>")
                self.outcome.contacts_matched.append(contact.full_name)
            elif org is None:
                leftovers.extend(item.source)
                result.review.append(f"no organisation for contact {item.name}; not created")
                continue
            else:
                contact = MediaContact.objects.create(
                    honorific=item.honorific[:20],
                    name=item.name[:200],
                    job_title=item.job_title[:200],
                    organisation=org,
                    email=email,
                    phone=phone[:40],
                    staff_notes=notes,
                )
                result.created.append(
                    f"contact {contact.full_name}"
                    + (f", {contact.job_title}" if contact.job_title else "")
                    + f" ({org.short_name})"
                    + (f" <{contact.email}>" if contact.email else "")
                    + (f" {contact.phone_e164}" if contact.phone_e164 else "")
                )
                self.outcome.contacts_created.append(contact.full_name)
            _, made = ReleaseContact.objects.get_or_create(
                release=release, contact=contact, defaults={"role": item.role, "order": order}
            )
            order += int(made)
        return leftovers

    def write_inboxes(self, parsed: ParsedRelease, result: ReleaseOutcome) -> list[str]:
        leftovers: list[str] = []
        for inbox in parsed.inboxes:
            org = self.organisation(inbox.organisation_key)
            value = inbox.value if inbox.kind == "email" else _website(inbox.value)
            if inbox.kind == "email":
                try:
                    validate_email(value)
                except ValidationError:
                    value = ""
            if org is None or not value:
                if inbox.source:  # from a contacts block, so not in the body yet
                    leftovers.append(inbox.source)
                continue
            attr = "email" if inbox.kind == "email" else "website"
            current = getattr(org, attr)
            if not current:
                setattr(org, attr, value)
                org.save(update_fields=[attr, "updated_at"])
                result.created.append(f"{attr} of {org.short_name}: {value}")
            elif current.lower().rstrip("/") == value.lower().rstrip("/"):
                result.matched.append(f"{attr} of {org.short_name}: {value}")
            else:
                result.review.append(
                    f"{org.short_name} already has the {attr} {current}; the file gives {value}"
                )
                if inbox.source:
                    leftovers.append(inbox.source)
        return leftovers


def import_slug(title: str) -> str:
    """A unique slug of at most ``SLUG_LIMIT`` characters, cut at a word: the
    headline's first words, then ``-2``, ``-3``… if those are taken."""
    base = slug_base(title)
    candidate, n = base, 2
    while PressRelease.objects.filter(slug=candidate).exists():
        suffix = f"-{n}"
        candidate, n = slug_base(title, SLUG_LIMIT - len(suffix)) + suffix, n + 1
    return candidate


def _same_text(html: str, other: str) -> bool:
    """Whether two pieces of rich text say the same words, whatever their
    markup, spacing, case or entity spelling (``&#x27;`` or ``'``): an
    imported boilerplate that only differs so is the saved one."""
    return html_to_text(html, one_line=True).lower() == html_to_text(other, one_line=True).lower()

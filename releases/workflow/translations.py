"""Translations: a release told again in another language, and when it falls behind.

A translation is a release of its own (its own workflow, embargo, slug and
revisions) sharing its source's ``translation_key``.  "Translate" makes it
as a **draft** from the source, so nothing in another language reaches the
public before it has been written, reviewed and published on its own clock:
the source being public says nothing about its translation, and the other
way round.

What is carried over, and why:

* the text (title, summary, dateline, body) as a starting point, each piece
  marked with :data:`MARKER` so nobody takes the copy for a translation;
* the structure, which is the same whatever the language: issuing
  organisations in order, contacts with their roles, topics, partnerships;
* the pictures, as **new rows** pointing at the same stored original, with
  alt text and caption marked for translation (they are words in a
  language).  Each row is served only under its own release's slug and only
  while that release is public (``releases.views.files`` looks the picture
  up *among that release's pictures*), so a picture row of an unpublished
  translation is never reachable, and the source's public URL serves only
  the source's own row: the file is shared, the doors are not.  The stored
  original is never deleted with a row (``releases.models.media``), so
  deleting one version cannot break the other.

Documents are not carried over: a report is written in one language, and a
translator adds its translated edition if there is one.

**Out of date.**  A translation records when its translator last brought
it in line with the source (``source_seen_at``: when it was made, or
marked up to date).  The source's ``last_updated_at`` moves only with a
major change (``releases.workflow.revisions.record_edit``), so a source
whose ``last_updated_at`` is later than that has changed in a way readers
were told of, and the translation is flagged until someone marks it up to
date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import language_codes, name_local
from releases.models import ChangeNote, PressRelease, ReleaseContact, ReleaseOrganisation
from releases.models.media import ReleaseImage
from releases.models.release import unique_slug
from releases.workflow.base import TransitionError, audit
from releases.workflow.permissions import Action, Status, User, can_edit, can_translate

#: Put before every copied piece of text: the copy is a starting point, not
#: a translation, and a reviewer sees at once what is still to translate.
MARKER = "[Translate] "


def missing_languages(release: PressRelease) -> list[str]:
    """The newsroom's languages the story has no version in yet."""
    have = set(
        PressRelease.objects.filter(translation_key=release.translation_key).values_list(
            "language", flat=True
        )
    )
    return [code for code in language_codes() if code not in have]


def _marked(text: str) -> str:
    return text if not text or text.startswith(MARKER) else MARKER + text


def translate(source: PressRelease, language: str, user: User) -> PressRelease:
    """Make the draft translation of ``source`` into ``language``; return it.

    Refused (:class:`PermissionDenied`) for whoever may not create and edit
    releases, and (:class:`TransitionError`) for a language the newsroom
    does not publish in or the story already has.
    """
    if not can_translate(user, source):
        raise PermissionDenied(_("You may not translate releases."))
    if language not in language_codes():
        raise TransitionError(_("The newsroom does not publish in that language."))
    now = timezone.now()
    with transaction.atomic(), reversion.create_revision():
        # Lock the source: two people pressing "Translate into Urdu" at once
        # make one draft; the second hears that it exists.
        source = PressRelease.objects.select_for_update().get(pk=source.pk)
        existing = PressRelease.objects.filter(
            translation_key=source.translation_key, language=language
        ).first()
        if existing is not None:
            raise TransitionError(
                _("This release already has a version in %(language)s: “%(title)s”.")
                % {"language": name_local(language), "title": existing.title}
            )
        translation = PressRelease.objects.create(
            title=_marked(source.title)[:300],
            slug=unique_slug(PressRelease, f"{source.slug} {language}"),
            language=language,
            translation_key=source.translation_key,
            translated_from=source,
            source_seen_at=now,
            summary=_marked(source.summary),
            dateline_place=source.dateline_place,
            dateline_date=source.dateline_date,
            body=f"<p>{MARKER.strip()}</p>{source.body}" if source.body else "",
            status=Status.DRAFT,
            created_by=user if user and user.pk else None,
            updated_by=user if user and user.pk else None,
        )
        ReleaseOrganisation.objects.bulk_create(
            ReleaseOrganisation(release=translation, organisation_id=link.organisation_id, order=i)
            for i, link in enumerate(source.issuers.order_by("order", "id"))
        )
        ReleaseContact.objects.bulk_create(
            ReleaseContact(
                release=translation, contact_id=link.contact_id, role=link.role, order=link.order
            )
            for link in source.contact_links.order_by("order", "id")
        )
        translation.tags.set(list(source.tags.all()))
        translation.partnerships.set(list(source.partnerships.all()))
        for picture in source.images.all():
            # A new row on the same stored original: its own pk, its own
            # public door under the translation's slug (see the docstring).
            ReleaseImage.objects.create(
                release=translation,
                image=picture.image.name,
                width=picture.width,
                height=picture.height,
                file_size=picture.file_size,
                checksum=picture.checksum,
                alt_text=_marked(picture.alt_text)[:300],
                caption=_marked(picture.caption)[:500],
                credit=picture.credit,
                usage_terms=picture.usage_terms,
                is_lead=picture.is_lead,
                order=picture.order,
            )
        reversion.set_user(user if user and user.pk else None)
        reversion.set_comment(
            f"Translated into {name_local(language)} from “{source.title}” ({source.language})."
        )
        audit(
            translation,
            user,
            Action.TRANSLATE,
            to_status=translation.status,
            note=(
                f"Started as a draft in {name_local(language)} from “{source.title}” "
                f"({name_local(source.language)}, #{source.pk}): text, pictures' alt text and "
                "captions to translate."
            ),
        )
    return translation


# ---------------------------------------------------------------------------
# Out of date
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Staleness:
    """Why a translation is out of date: its source and the notes of the
    major changes made to it since the translator last looked."""

    source: PressRelease
    since: datetime.datetime
    notes: tuple[ChangeNote, ...]


def staleness(translation: PressRelease) -> Staleness | None:
    """``None`` when ``translation`` is up to date (or is no translation)."""
    source = translation.translated_from
    if source is None or source.last_updated_at is None:
        return None
    seen = translation.source_seen_at
    if seen is not None and source.last_updated_at <= seen:
        return None
    notes = ChangeNote.objects.filter(release=source).order_by("-created_at", "-id")
    if seen is not None:
        notes = notes.filter(created_at__gt=seen)
    return Staleness(source=source, since=seen or translation.created_at, notes=tuple(notes))


def mark_up_to_date(
    translation: PressRelease, user: User, now: datetime.datetime | None = None
) -> None:
    """The translator has brought ``translation`` in line with its source.

    Audited as an edit (the note says so), so the log tells who vouched
    for the translation and when.
    """
    if not can_edit(user, translation):
        raise PermissionDenied(_("You may not edit this translation."))
    now = now or timezone.now()
    translation.source_seen_at = now
    translation.save(update_fields=["source_seen_at"])
    audit(
        translation,
        user,
        Action.EDIT,
        from_status=translation.status,
        to_status=translation.status,
        note="Marked as up to date with its source.",
    )

"""Small, explicit serializers: one function per shape, no magic.

Each function reads only what the matching queryset in :mod:`api.queries`
loaded, so a page of 100 releases costs the same number of queries as a page
of 3.  What is *not* here matters as much as what is: ``staff_notes``,
internal contacts and draft partnerships never appear, and the OpenAPI
schemas forbid extra properties so a test fails if one ever slips in.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from contacts.models import MediaContact, Organisation, Partnership
from core.i18n import html_lang
from core.richtext import html_to_text
from core.urls import absolute_url
from releases.models import PressRelease, ReleaseContact, ReleaseImage


def iso_datetime(value: datetime.datetime | None) -> str | None:
    """UTC, to the second, with a ``Z``: the form every harvester parses."""
    if value is None:
        return None
    return value.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def iso_date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


# Organisations ---------------------------------------------------------------


def organisation_ref(org: Organisation) -> dict[str, Any]:
    return {
        "id": org.pk,
        "name": org.name,
        "acronym": org.acronym,
        "slug": org.slug,
        "url": absolute_url(org.get_absolute_url()),
        "api_url": absolute_url(reverse("api:organisation_detail", kwargs={"slug": org.slug})),
    }


def organisation(org: Organisation) -> dict[str, Any]:
    """Needs ``select_related("parent")``."""
    return {
        **organisation_ref(org),
        "kind": org.kind,
        "parent": organisation_ref(org.parent) if org.parent_id and org.parent else None,
        "website": org.website,
        "email": org.email,
        "phone": org.phone,
        "about_html": org.display_about,
        "logo_url": absolute_url(org.logo_url) if org.logo else None,
        "releases_api_url": absolute_url(reverse("api:release_list") + f"?organisation={org.slug}"),
    }


def organisation_detail(
    org: Organisation, contacts: list[MediaContact], partnerships: list[Partnership]
) -> dict[str, Any]:
    return {
        **organisation(org),
        "contacts": [contact(c) for c in contacts],
        "partnerships": [partnership_ref(p) for p in partnerships],
    }


# Contacts --------------------------------------------------------------------


def contact(person: MediaContact) -> dict[str, Any]:
    """A public contact.  Needs ``select_related("organisation")``.

    Deliberately lists its fields: ``staff_notes`` and ``is_public`` stay in
    the building.
    """
    return {
        "id": person.pk,
        "name": person.name,
        "honorific": person.honorific,
        "full_name": person.full_name,
        "job_title": person.job_title,
        "organisation": organisation_ref(person.organisation),
        "email": person.email,
        "phone": person.phone,
        "phone_e164": person.phone_e164,
        "vcard_url": absolute_url(reverse("contacts:vcard", kwargs={"pk": person.pk})),
    }


def release_contact(link: ReleaseContact) -> dict[str, Any]:
    return {**contact(link.contact), "role": link.role}


# Partnerships ----------------------------------------------------------------


def partnership_ref(item: Partnership) -> dict[str, Any]:
    return {
        "id": item.pk,
        "title": item.title,
        "slug": item.slug,
        "url": absolute_url(item.get_absolute_url()),
        "api_url": absolute_url(reverse("api:partnership_detail", kwargs={"slug": item.slug})),
    }


def partnership(item: Partnership) -> dict[str, Any]:
    """Needs the ``members`` prefetch with their organisations."""
    return {
        **partnership_ref(item),
        "kind": item.kind,
        "status": item.status,
        "signed_on": iso_date(item.signed_on),
        "starts_on": iso_date(item.starts_on),
        "ends_on": iso_date(item.ends_on),
        "summary": item.summary,
        "members": [
            {"organisation": organisation_ref(m.organisation), "role": m.role}
            for m in item.members.all()
        ],
        "releases_api_url": absolute_url(reverse("api:release_list") + f"?partnership={item.slug}"),
    }


def partnership_detail(item: Partnership, releases: list[PressRelease]) -> dict[str, Any]:
    return {**partnership(item), "releases": [release_ref(r) for r in releases]}


# Releases --------------------------------------------------------------------


def date_published(release: PressRelease) -> datetime.datetime | None:
    return release.first_published_at or release.publish_at


def release_ref(release: PressRelease) -> dict[str, Any]:
    return {
        "id": release.pk,
        "title": release.title,
        "slug": release.slug,
        "url": absolute_url(release.get_absolute_url()),
        "api_url": absolute_url(reverse("api:release_detail", kwargs={"slug": release.slug})),
        "date_published": iso_datetime(date_published(release)),
    }


def _image_url(image: ReleaseImage, rendition: str) -> str:
    """The URL of a rendition when the image model can build one (the media
    helper adds ``ReleaseImage.url(rendition)``, served through a view that
    checks the release is public), else the stored file's URL."""
    builder = getattr(image, "url", None)
    if callable(builder):
        return absolute_url(builder(rendition))
    return absolute_url(image.image.url)


def release_image(image: ReleaseImage) -> dict[str, Any]:
    return {
        "url": _image_url(image, "original"),
        "web_url": _image_url(image, "web"),
        "caption": image.caption,
        "credit": image.credit,
        "alt": image.alt_text,
        "usage_terms": image.usage_terms,
        "width": image.width,
        "height": image.height,
        "is_lead": image.is_lead,
    }


def translation_ref(version: PressRelease) -> dict[str, Any]:
    """Another language version of a release (a public one: see ``release``)."""
    return {
        "language": html_lang(version.language),
        "title": version.title,
        "url": absolute_url(version.get_absolute_url()),
        "api_url": absolute_url(reverse("api:release_detail", kwargs={"slug": version.slug})),
    }


def release(item: PressRelease) -> dict[str, Any]:
    """A full release, as aggregators (ReliefWeb and the like) ingest it.

    Needs :func:`api.queries.releases` (every relation prefetched) and, for a
    page of them, ``attach_public_translations`` (one query for the page).
    ``translations`` names only versions the public may see now: a scheduled
    translation stays unnamed until its own embargo lifts.
    """
    published = date_published(item)
    issuers = list(item.issuers.all())
    return {
        **release_ref(item),
        "language": html_lang(item.language),
        "translations": [translation_ref(v) for v in item.public_translations()],
        "summary": item.summary,
        "body_html": item.body,
        "body_text": html_to_text(item.body),
        "date_changed": iso_datetime(item.last_updated_at or published),
        "date_modified": iso_datetime(item.modified_at),
        "dateline": {"place": item.dateline_place, "date": iso_date(item.dateline_date)},
        "source": [
            {
                **organisation_ref(link.organisation),
                "website": link.organisation.website,
                "role": "lead" if index == 0 else "co-issuer",
            }
            for index, link in enumerate(issuers)
        ],
        "tags": sorted(
            ({"name": tag.name, "slug": tag.slug} for tag in item.tags.all()),
            key=lambda tag: tag["name"].lower(),
        ),
        "partnerships": [partnership_ref(p) for p in item.partnerships.all()],
        "contacts": [release_contact(link) for link in item.public_contact_links],
        "images": [release_image(image) for image in item.images.all()],
        "change_notes": [
            {"note": note.note, "date": iso_datetime(note.created_at)}
            for note in item.change_notes.all()
        ],
    }

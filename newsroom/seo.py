"""Search-engine and social metadata for a release page.

Built in Python (not assembled in a template) so that the JSON is always
valid: values go through ``json.dumps``, and the ``<script>`` element is
written with the same escaping as Django's ``json_script`` (``<``, ``>`` and
``&`` as ``\\u003C``…), so a title containing ``</script>`` cannot end the
element early.
"""

from __future__ import annotations

import contextlib
import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from contacts.models import Organisation
from core.i18n import html_lang
from core.richtext import html_to_text
from core.urls import absolute_url
from releases.models import PressRelease

DESCRIPTION_LENGTH = 160

_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def release_description(release: PressRelease) -> str:
    """The summary, or the start of the body as plain text, ≤ 160 characters."""
    text = " ".join(release.summary.split()) or html_to_text(release.body, one_line=True)
    return Truncator(text).chars(DESCRIPTION_LENGTH)


def release_dates(release: PressRelease) -> tuple[datetime.datetime | None, ...]:
    """``(published, modified)``: first publication, and the last major
    (publicly noted) change — or the publication when there was none."""
    published = release.first_published_at or release.publish_at
    modified = release.last_updated_at or published
    if published and modified and modified < published:
        modified = published
    return published, modified


def lead_image_url(release: PressRelease) -> str | None:
    """Absolute URL of the lead image's web rendition, if the media module
    provides one (``ReleaseImage.url("web")``); otherwise ``None``.
    Remembered on the release: the meta tags and the JSON-LD both ask."""
    if "_seo_lead_image" not in release.__dict__:
        release.__dict__["_seo_lead_image"] = _lead_image_url(release)
    return release.__dict__["_seo_lead_image"]


def _lead_image_url(release: PressRelease) -> str | None:
    images = getattr(release, "feed_images", None)
    if images is None:
        images = list(release.images.all()[:1])
    if not images or not callable(getattr(images[0], "url", None)):
        return None
    try:
        url = images[0].url("web")
    except Exception:  # a missing file must not break the page
        return None
    return absolute_url(url) if url else None


def default_share_image_url() -> str:
    """The newsroom's own picture (``static/img/share.png``, 1200×630), for
    a shared link that has no picture of its own: chat apps and social sites
    show a bare grey box otherwise."""
    return absolute_url(static("img/share.png"))


def organisation_image_url(organisation: Organisation | None) -> str | None:
    """Absolute URL of an organisation's logo, or ``None``."""
    if organisation is None or not organisation.logo:
        return None
    with contextlib.suppress(ValueError):  # no file attached
        return absolute_url(organisation.logo_url)
    return None


def share_image_url(release: PressRelease) -> str:
    """The picture of a shared release link: its lead picture, else its lead
    organisation's logo, else the newsroom's own (issue 19: every shared
    link has a picture)."""
    return (
        lead_image_url(release)
        or organisation_image_url(release.lead_issuer)
        or default_share_image_url()
    )


def _organisation_ld(organisation: Organisation) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "Organization",
        "name": organisation.name,
        "url": absolute_url(organisation.get_absolute_url()),
    }
    if organisation.acronym:
        data["alternateName"] = organisation.acronym
    if organisation.website:
        data["sameAs"] = organisation.website
    data["logo"] = {
        "@type": "ImageObject",
        "url": organisation_image_url(organisation) or default_share_image_url(),
    }
    return data


def _version_ld(version: PressRelease) -> dict[str, Any]:
    """Another language version of a release, as ``workTranslation`` names it."""
    return {
        "@type": "NewsArticle",
        "@id": absolute_url(version.get_absolute_url()),
        "url": absolute_url(version.get_absolute_url()),
        "inLanguage": html_lang(version.language),
        "headline": Truncator(version.title).chars(110),
    }


def release_jsonld(release: PressRelease) -> dict[str, Any]:
    """schema.org ``NewsArticle`` for a release page.

    Uses the prefetches of ``for_detail()`` (issuers, tags) when present.
    """
    url = absolute_url(release.get_absolute_url())
    published, modified = release_dates(release)
    organisations = release.issuing_organisations
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": Truncator(release.title).chars(110),
        "name": release.title,
        "description": release_description(release),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": html_lang(release.language),
    }
    # Its other language versions, public ones only (a scheduled translation
    # is never named): the one it was translated from, and the others.
    versions = release.public_translations()
    source = next((v for v in versions if v.pk == release.translated_from_id), None)
    if source is not None:
        data["translationOfWork"] = _version_ld(source)
    translations = [v for v in versions if v is not source]
    if translations:
        data["workTranslation"] = [_version_ld(v) for v in translations]
    if published:
        data["datePublished"] = published.isoformat()
    if modified:
        data["dateModified"] = modified.isoformat()
    if organisations:
        data["publisher"] = _organisation_ld(organisations[0])
        data["author"] = [_organisation_ld(org) for org in organisations]
    else:
        data["publisher"] = {
            "@type": "Organization",
            "name": settings.NEWSROOM_SITE_NAME,
            "logo": {"@type": "ImageObject", "url": default_share_image_url()},
        }
    if release.dateline_place:
        data["locationCreated"] = {"@type": "Place", "name": release.dateline_place}
    keywords = [tag.name for tag in release.tags.all()]
    if keywords:
        data["keywords"] = ", ".join(keywords)
    data["image"] = [share_image_url(release)]
    return data


def jsonld_script(data: dict[str, Any]) -> SafeString:
    """``<script type="application/ld+json">`` with ``json_script`` escaping."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        _JSON_SCRIPT_ESCAPES
    )
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload),
    )


@dataclass(frozen=True)
class ReleaseMeta:
    """What ``releases/_meta.html`` prints in the page head."""

    title: str
    description: str
    canonical_url: str
    image_url: str
    published: datetime.datetime | None
    modified: datetime.datetime | None
    section: str
    tags: list[str]
    jsonld: SafeString
    site_name: str

    #: "summary" when the picture is a logo (cropped badly in a wide card).
    twitter_card: str = "summary_large_image"


def release_meta(release: PressRelease) -> ReleaseMeta:
    published, modified = release_dates(release)
    organisations = release.issuing_organisations
    return ReleaseMeta(
        title=release.title,
        description=release_description(release),
        canonical_url=absolute_url(release.get_absolute_url()),
        image_url=share_image_url(release),
        twitter_card="summary_large_image"
        if lead_image_url(release) or not organisation_image_url(release.lead_issuer)
        else "summary",
        published=published,
        modified=modified,
        section=organisations[0].name if organisations else "",
        tags=[tag.name for tag in release.tags.all()],
        jsonld=jsonld_script(release_jsonld(release)),
        site_name=settings.NEWSROOM_SITE_NAME,
    )

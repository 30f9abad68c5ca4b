"""``sitemap.xml``: published releases, organisations, partnerships and the
fixed pages, on the canonical address (``NEWSROOM_SITE_URL``).

Only ``published()`` releases are listed, so an embargoed release cannot be
discovered through the sitemap before its time.  Search pages are left out
(they are ``noindex``).

A release's ``<lastmod>`` is the instant its public copy last changed
(``newsroom.seo.release_dates``), the same instant as the page's JSON-LD
``dateModified`` and ``article:modified_time``: a crawler told two dates
for one page trusts neither.  A save that changed nothing public (a topic
re-ordered, a staff note) does not move it.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Exists, Max, OuterRef, QuerySet
from django.urls import reverse

from bulletins.models import Bulletin
from contacts.models import Organisation, Partnership
from core.i18n import html_lang
from newsroom.seo import release_dates
from releases.models import PressRelease


class CanonicalSitemap(Sitemap):
    """Builds URLs from ``NEWSROOM_SITE_URL`` rather than the request's host,
    so a sitemap fetched through an internal address still lists the public
    one (and the sites framework is not needed)."""

    limit = 5000

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.NEWSROOM_SITE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.NEWSROOM_SITE_URL).netloc

    def summary(self) -> tuple[datetime.datetime | None, int]:
        """``(newest lastmod, number of URLs)`` for the index. Sections over
        the database answer both in one aggregate (the index would otherwise
        ask two queries per section)."""
        return self.get_latest_lastmod(), self.paginator.count


class ReleaseSitemap(CanonicalSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> QuerySet:
        """Every public release, in every language, each at its own edition's
        address (``/ur/releases/…`` for Urdu); whether it has a public
        translation comes with the row (an ``EXISTS``), so a page without
        any costs no further query."""
        public_translations = (
            PressRelease.objects.published()
            .filter(translation_key=OuterRef("translation_key"))
            .exclude(pk=OuterRef("pk"))
        )
        return (
            PressRelease.objects.published()
            .only(
                "slug",
                "language",
                "translation_key",
                "publish_at",
                "first_published_at",
                "last_updated_at",
            )
            .annotate(has_public_translations=Exists(public_translations))
            .order_by("-publish_at", "-id")
        )

    def _urls(self, page, protocol, domain) -> list[dict]:
        """Django's URL entries, with ``xhtml:link rel="alternate"`` per public
        language version (the release itself included, as search engines ask)
        and ``x-default`` for the default language's version when it is public.

        The versions of every release on the page come in one query, and only
        when some release on it has one; only ``published()`` versions are
        named, so a scheduled translation's address is never given away.
        """
        urls = super()._urls(page, protocol, domain)
        keys = {u["item"].translation_key for u in urls if u["item"].has_public_translations}
        if not keys:
            return urls
        versions: dict[object, list[PressRelease]] = {}
        for version in (
            PressRelease.objects.published()
            .filter(translation_key__in=keys)
            .only("slug", "language", "translation_key")
            .order_by("language", "id")
        ):
            versions.setdefault(version.translation_key, []).append(version)
        for url in urls:
            story = versions.get(url["item"].translation_key, [])
            if len(story) < 2:
                continue
            for version in story:
                location = f"{protocol}://{domain}{version.get_absolute_url()}"
                url["alternates"].append(
                    {"location": location, "lang_code": html_lang(version.language)}
                )
                if version.language == settings.LANGUAGE_CODE:
                    url["alternates"].append({"location": location, "lang_code": "x-default"})
        return urls

    def get_latest_lastmod(self) -> datetime.datetime | None:
        """For the sitemap index: one aggregate, where Django's default would
        load every release of the archive to take the newest date."""
        return self.summary()[0]

    def summary(self) -> tuple[datetime.datetime | None, int]:
        row = PressRelease.objects.published().aggregate(
            p=Max("publish_at"),
            f=Max("first_published_at"),
            u=Max("last_updated_at"),
            n=Count("id"),
        )
        count = row.pop("n")
        dates = [d for d in row.values() if d]
        return (max(dates) if dates else None), count

    def lastmod(self, item: PressRelease) -> datetime.datetime | None:
        return release_dates(item)[1]


class UpdatedAtSitemap(CanonicalSitemap):
    """A section dated by its rows' ``updated_at``; the index asks one
    aggregate for the newest, where Django's default would load every row."""

    def lastmod(self, item) -> datetime.datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime.datetime | None:
        return self.summary()[0]

    def summary(self) -> tuple[datetime.datetime | None, int]:
        row = self.items().order_by().aggregate(latest=Max("updated_at"), n=Count("pk"))
        return row["latest"], row["n"]


class OrganisationSitemap(UpdatedAtSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self) -> QuerySet:
        return Organisation.objects.active().only("slug", "updated_at").order_by("name")


class PartnershipSitemap(UpdatedAtSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self) -> QuerySet:
        return Partnership.objects.public().only("slug", "updated_at").order_by("title")


class StaticSitemap(CanonicalSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self) -> list[str]:
        return [
            "home",
            "search:release_list",
            "releases:organisation_list",
            "contacts:contact_list",
            "contacts:partnership_list",
            "bulletins:list",
            "api:index",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class BulletinSitemap(UpdatedAtSitemap):
    """Bulletins with at least one public release (never one of drafts or
    embargoed releases: ``with_public_releases`` starts from ``published()``)."""

    changefreq = "monthly"
    priority = 0.4

    def items(self) -> QuerySet:
        return Bulletin.objects.with_public_releases(settings.LANGUAGE_CODE).only(
            "slug", "updated_at"
        )


SITEMAPS = {
    "releases": ReleaseSitemap,
    "organisations": OrganisationSitemap,
    "partnerships": PartnershipSitemap,
    "bulletins": BulletinSitemap,
    "pages": StaticSitemap,
}

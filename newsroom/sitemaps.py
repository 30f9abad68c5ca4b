"""``sitemap.xml``: published releases, organisations, partnerships and the
fixed pages, on the canonical address (``NEWSROOM_SITE_URL``).

Only ``published()`` releases are listed, so an embargoed release cannot be
discovered through the sitemap before its time.  Search pages are left out
(they are ``noindex``).
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse

from contacts.models import Organisation, Partnership
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


class ReleaseSitemap(CanonicalSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> QuerySet:
        return (
            PressRelease.objects.published()
            .only("slug", "publish_at", "modified_at", "last_updated_at")
            .order_by("-publish_at", "-id")
        )

    def get_latest_lastmod(self) -> datetime.datetime | None:
        """For the sitemap index: one aggregate, where Django's default would
        load every release of the archive to take the newest date."""
        row = PressRelease.objects.published().aggregate(
            p=Max("publish_at"), m=Max("modified_at"), u=Max("last_updated_at")
        )
        dates = [d for d in row.values() if d]
        return max(dates) if dates else None

    def lastmod(self, item: PressRelease) -> datetime.datetime | None:
        # A release edited before its embargo lifted was not visible then:
        # the public copy dates from publish_at at the earliest.
        dates = [d for d in (item.publish_at, item.modified_at, item.last_updated_at) if d]
        return max(dates) if dates else None


class OrganisationSitemap(CanonicalSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self) -> QuerySet:
        return Organisation.objects.active().only("slug", "updated_at").order_by("name")

    def lastmod(self, item: Organisation) -> datetime.datetime:
        return item.updated_at


class PartnershipSitemap(CanonicalSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self) -> QuerySet:
        return Partnership.objects.public().only("slug", "updated_at").order_by("title")

    def lastmod(self, item: Partnership) -> datetime.datetime:
        return item.updated_at


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
        ]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "releases": ReleaseSitemap,
    "organisations": OrganisationSitemap,
    "partnerships": PartnershipSitemap,
    "pages": StaticSitemap,
}

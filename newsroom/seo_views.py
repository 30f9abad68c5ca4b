"""``robots.txt`` and the sitemap index.

robots.txt: crawl everything public except the admin and search pages.
The disallows come before ``Allow: /``: Google reads the longest match, but
first-match parsers (Python's ``urllib.robotparser`` and many small
crawlers) stop at the first rule that matches, and would fetch ``/admin/``.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from core.memo import remember_response
from core.urls import absolute_url


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Disallow: {reverse('search:search')}",
        "Allow: /",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def sitemap_index(request: HttpRequest, sitemaps: dict[str, type[Sitemap]]) -> HttpResponse:
    """``/sitemap.xml``: every page of every section, with canonical addresses.

    Django's own index view builds the addresses from the request's host;
    ours uses ``NEWSROOM_SITE_URL`` like every other absolute link, and
    lists each page of a paginated section (5,000 URLs a page), so every
    release of a large archive is reachable by a crawler.
    """
    # The page counts are a COUNT over the archive per section: built once
    # per content state (a publish or an embargo lifting moves the state).
    return remember_response(request, "sitemap-index", lambda: _sitemap_index(request, sitemaps))


def _sitemap_index(request: HttpRequest, sitemaps: dict[str, type[Sitemap]]) -> HttpResponse:
    items = []
    for section, sitemap_class in sitemaps.items():
        site = sitemap_class()
        url = absolute_url(reverse("sitemap_section", args=[section]))
        lastmod, count = site.summary()
        items.append(SitemapIndexItem(url, lastmod))
        pages = max(1, -(-count // site.limit))
        items.extend(SitemapIndexItem(f"{url}?p={page}", lastmod) for page in range(2, pages + 1))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )


@require_GET
def sitemap_section(
    request: HttpRequest, sitemaps: dict[str, type[Sitemap]], section: str
) -> HttpResponse:
    """``/sitemap-<section>.xml``: Django's section view, with full
    datetimes in ``<lastmod>`` and without its ``X-Robots-Tag: noindex,
    noodp, noarchive``.

    Django adds the header so that a sitemap does not show up in search
    results; crawlers read sitemaps whatever it says, and validators flag a
    sitemap that forbids its own indexing as contradictory. The index,
    served by ``sitemap_index`` above, never carried it.
    """
    # 5,000 URLs a page, the same for everyone until the state moves: kept
    # as bytes per section and page (only the page number is read from the
    # query string, so junk parameters share the entry).
    page = request.GET.get("p", "1")
    return remember_response(
        request,
        f"sitemap:{section}:{page}",
        lambda: _sitemap_section(request, sitemaps, section),
    )


def _sitemap_section(
    request: HttpRequest, sitemaps: dict[str, type[Sitemap]], section: str
) -> HttpResponse:
    response = sitemap_views.sitemap(
        request, sitemaps, section=section, template_name="sitemaps/section.xml"
    )
    if "X-Robots-Tag" in response:
        del response["X-Robots-Tag"]
    return response

"""Site-level SEO URLs (no namespace): ``/sitemap.xml`` (an index of the
``/sitemap-<section>.xml`` files) and ``/robots.txt``.

Include at the root: ``path("", include("newsroom.seo_urls"))``.
"""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from newsroom.seo_views import robots_txt, sitemap_index
from newsroom.sitemaps import SITEMAPS

urlpatterns = [
    # An index of sections, each paginated (5,000 URLs a page), so every
    # release of a large archive is reachable: one flat file would stop at
    # its first page, and nothing would link the rest.
    path("sitemap.xml", sitemap_index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", robots_txt, name="robots_txt"),
]

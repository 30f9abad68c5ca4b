"""Site-level SEO URLs (no namespace): ``/sitemap.xml`` and ``/robots.txt``.

Include at the root: ``path("", include("newsroom.seo_urls"))``.
"""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from newsroom.seo_views import robots_txt
from newsroom.sitemaps import SITEMAPS

urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
]

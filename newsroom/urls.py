"""The project's URLs: each app's public URLs, the admin, and site-wide pages.

Each app owns one ``urls.py`` with its namespace; this module only composes
them (the dependency rule: the project may import every app, no app imports
the project).
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from newsroom import health, metrics, views
from newsroom.seo_views import robots_txt, sitemap_index, sitemap_section
from newsroom.sitemaps import SITEMAPS
from pressroom import views as pressroom_views

# The public newsroom, once per language (core/i18n.py): the default
# language at the root, every other at its prefix (/ur/…).  Machine-read
# addresses (the API, sitemaps, webhooks, probes) and the admin are not
# duplicated: they name no language.
urlpatterns = [
    *i18n_patterns(
        path("", views.home, name="home"),
        path("", include("search.urls")),
        # Before releases.urls: the release page answers an approved journalist
        # before the embargo lifts (the public view first, unchanged; pressroom).
        path("releases/<slug:slug>/", pressroom_views.release_page, name="release_page"),
        path("", include("releases.urls")),
        path("press-room/", include("pressroom.urls")),
        path("", include("contacts.urls")),
        path("bulletins/", include("bulletins.urls")),
        path("alerts/", include("alerts.urls")),
        # Journalists: allauth's sign-up, sign-in, two-factor; then their own pages.
        path("account/", include("allauth.urls")),
        path("journalists/", include("journalists.urls")),
        prefix_default_language=False,
    ),
    # Django's set_language view: the admin's language choice (a cookie read
    # on /admin/ only; public pages are named by their URL, core/i18n.py).
    path("i18n/", include("django.conf.urls.i18n")),
    path("media-lists/", include("medialists.urls")),
    path("api/", include("api.urls")),
    # Providers' tracking webhooks (bounces, complaints): django-anymail.
    path("alerts/anymail/", include("anymail.urls")),
    # An index of sections, each paginated (5,000 URLs a page), so every
    # release of a large archive is reachable: one flat file would stop at
    # its first page, and nothing would link the rest.
    path("sitemap.xml", sitemap_index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("sitemap-<section>.xml", sitemap_section, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", robots_txt, name="robots_txt"),
    # Browsers, feed readers and bookmarks ask for /favicon.ico whatever the
    # page links; a temporary redirect, because the target's name is hashed.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.ico"))),
    # Bulletins and import records moved out of the releases app: staff
    # bookmarks of their old admin pages still arrive.
    path(
        "admin/releases/bulletin/import/",
        RedirectView.as_view(url="/admin/importer/importrecord/import/", query_string=True),
    ),
    re_path(
        r"^admin/releases/bulletin/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/bulletins/bulletin/%(rest)s", query_string=True),
    ),
    re_path(
        r"^admin/releases/importrecord/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/importer/importrecord/%(rest)s", query_string=True),
    ),
    path("admin/", admin.site.urls),
    # Operations (docs/OPERATIONS.md): probes for load balancers, a scraper's metrics.
    path("health/live/", health.liveness, name="health_live"),
    path("health/ready/", health.readiness, name="health_ready"),
    path("metrics", metrics.metrics, name="metrics"),
]

if settings.NEWSROOM_BENCH_FLOOR:
    # The benchmark's reference page (bench/run.py); off unless asked for.
    urlpatterns.insert(0, path("bench/floor/", views.bench_floor, name="bench_floor"))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)

# Branded error pages (newsroom/errors.py); used only when DEBUG is off.
handler400 = "newsroom.errors.bad_request"
handler403 = "newsroom.errors.permission_denied"
handler404 = "newsroom.errors.page_not_found"
handler500 = "newsroom.errors.server_error"

"""Top-level URLs: the public newsroom, the admin, and site-wide pages."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from newsroom import views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("contacts.vcard_urls")),
    # /releases/…, /search/ and /feeds/… (the whole "releases" namespace).
    path("", include("releases.journalist_urls")),
    path("bulletins/", include("releases.bulletin_urls")),
    path("", include("newsroom.seo_urls")),
    path("", include("contacts.urls")),
    path("api/", include("api.urls")),
    path("preview/", include("releases.preview_urls")),
    path("admin/", admin.site.urls),
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

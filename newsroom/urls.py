"""Top-level URLs: the public newsroom, the admin, and site-wide pages."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from newsroom import views

urlpatterns = [
    path("", views.home, name="home"),
    # /releases/…, /search/ and /feeds/… (the whole "releases" namespace).
    path("", include("releases.journalist_urls")),
    path("", include("newsroom.seo_urls")),
    path("", include("contacts.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)

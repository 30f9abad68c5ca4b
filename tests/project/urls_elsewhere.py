"""A URL configuration with the release page elsewhere (test_slug_url)."""

from django.http import HttpResponse
from django.urls import include, path

release_patterns = ([path("elsewhere/<slug:slug>/", HttpResponse, name="detail")], "releases")
urlpatterns = [path("", include(release_patterns))]

"""The public end of shareable preview links.

Include it from the root URLconf:
``path("preview/", include("releases.preview_urls"))``.
"""

from django.urls import path

from releases.preview import preview_link_view

app_name = "release_preview"

urlpatterns = [
    path("<str:token>/", preview_link_view, name="link"),
]

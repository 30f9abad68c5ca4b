"""The project's URLs plus the public preview links, for the workflow tests.

The lead wires ``releases.preview_urls`` into ``newsroom/urls.py``; until then
(and after, harmlessly) the tests add it here.
"""

from django.urls import include, path

from newsroom.urls import urlpatterns as project_urlpatterns

_has_preview = any(getattr(p, "namespace", None) == "release_preview" for p in project_urlpatterns)

urlpatterns = [
    *([] if _has_preview else [path("preview/", include("releases.preview_urls"))]),
    *project_urlpatterns,
]

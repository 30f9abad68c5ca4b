"""URLs of the read API, included at ``/api/`` by ``newsroom/urls.py``."""

from django.urls import path, re_path

from api import views

app_name = "api"

urlpatterns = [
    path("", views.index, name="index"),
    path("v1/openapi.json", views.openapi_document, name="openapi"),
    path("v1/releases/", views.release_list, name="release_list"),
    path("v1/releases/<slug:slug>/", views.release_detail, name="release_detail"),
    path("v1/organisations/", views.organisation_list, name="organisation_list"),
    path("v1/organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("v1/contacts/", views.contact_list, name="contact_list"),
    path("v1/partnerships/", views.partnership_list, name="partnership_list"),
    path("v1/partnerships/<slug:slug>/", views.partnership_detail, name="partnership_detail"),
    # Anything else under v1/ is the API's JSON 404, control characters
    # included ("." would not match a "%0A" and let the site's HTML 404 answer).
    re_path(r"^v1/(?P<rest>(?:[\s\S]*/)?)\Z", views.not_found, name="not_found"),
]

"""The finder (namespace ``search``), included at the site root: the filtered
release list at ``/releases/`` and the search page at ``/search/``."""

from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("releases/", views.release_list, name="release_list"),
    path("search/", views.search, name="search"),
]

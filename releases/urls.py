from django.urls import include, path

from releases import views

app_name = "releases"

urlpatterns = [
    path("", views.release_list, name="list"),
    path("<slug:slug>/", views.release_detail, name="detail"),
    # Pictures, documents and the media kit (owned by releases/media_urls.py).
    path("", include("releases.media_urls")),
]

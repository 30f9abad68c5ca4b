"""The press room's URLs (namespace ``pressroom``).

The embargoed release page itself is not here: it answers at the public
address ``/releases/<slug>/`` (``newsroom/urls.py`` mounts
:func:`pressroom.views.release_page` there, before ``releases.urls``).
"""

from django.urls import path

from pressroom import views

app_name = "pressroom"

urlpatterns = [
    path("", views.press_room, name="index"),
    path(
        "files/<str:token>/images/<int:pk>/<str:rendition>/",
        views.image_file,
        name="image",
    ),
    path(
        "files/<str:token>/images/<int:pk>/<str:rendition>/<str:fmt>/",
        views.image_file,
        name="image_format",
    ),
    path("files/<str:token>/documents/<int:pk>/", views.attachment_file, name="file"),
    path("files/<str:token>/media-kit.zip", views.media_kit, name="media_kit"),
]

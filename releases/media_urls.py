"""URLs of release files; included by ``releases/urls.py`` (namespace ``releases``).

No ``app_name`` here on purpose: included inside the ``releases`` namespace,
the names below resolve as ``releases:image``, ``releases:image_format``,
``releases:file`` and ``releases:media_kit``.  An unknown rendition or format
is a 404 from the view.
"""

from django.urls import path

from releases import media_views

urlpatterns = [
    path(
        "<slug:slug>/images/<int:pk>/<str:rendition>/",
        media_views.image_file,
        name="image",
    ),
    path(
        "<slug:slug>/images/<int:pk>/<str:rendition>/<str:fmt>/",
        media_views.image_file,
        name="image_format",
    ),
    path("<slug:slug>/files/<int:pk>/", media_views.attachment_file, name="file"),
    path("<slug:slug>/media-kit.zip", media_views.media_kit, name="media_kit"),
]

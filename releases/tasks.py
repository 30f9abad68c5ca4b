"""The releases' work for the task worker (Django's tasks API, as in ``desk.tasks``).

Renditions of a picture are made here, right after its upload commits, so
that neither the upload request nor the first public request after an
embargo lifts pays for them (``releases.renditions`` says what they cost).
"""

from __future__ import annotations

from django.apps import apps
from django_tasks import task  # Django 6: from django.tasks import task

from releases.renditions import generate_renditions


@task()
def make_renditions(image_id: int) -> int:
    """Every rendition of a picture, in every format; the number made or
    found.  A picture deleted since the upload is nothing to do."""
    # By name: the models queue this task, so this module does not import them.
    image = apps.get_model("releases", "ReleaseImage").objects.filter(pk=image_id).first()
    if image is None or not image.image:
        return 0
    return len(generate_renditions(image))

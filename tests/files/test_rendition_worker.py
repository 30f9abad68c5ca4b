"""A real worker makes a picture's renditions after its upload; made early,
they are still served only through the views that check the release is
public, so an embargoed release's pictures stay unreachable."""

from __future__ import annotations

import datetime
import os
import signal

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from releases.models import PressRelease, ReleaseImage
from releases.renditions import FORMATS, RENDITIONS, rendition_path
from tests.alerts.support import SMTPServer, Worker, wait_for
from tests.factories import PressReleaseFactory
from tests.files.support import image_bytes, upload

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    server = SMTPServer().__enter__()
    process = Worker(server, tmp_path / "worker.log", rate=0)
    process.env["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    yield process
    process.stop(signal.SIGKILL)
    server.__exit__()
    if os.environ.get("ALERTS_SHOW_WORKER_LOG"):
        print((tmp_path / "worker.log").read_text())


def _paths(image: ReleaseImage) -> list[str]:
    return [
        rendition_path(image.pk, image.checksum, name, fmt)
        for name in RENDITIONS
        for fmt in FORMATS
    ]


def test_the_worker_makes_the_renditions_and_the_embargo_still_holds(client, worker):
    release = PressReleaseFactory(
        status=PressRelease.Status.PUBLISHED,
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )
    image = ReleaseImage.objects.create(
        release=release,
        image=upload(image_bytes(1600, 1000), "p.jpg"),
        alt_text="A field office",
        caption="The office",
        credit="© Example",
    )
    paths = _paths(image)
    assert not any(default_storage.exists(path) for path in paths)
    worker.start()
    assert wait_for(lambda: all(default_storage.exists(p) for p in paths), timeout=60), paths
    made = {path: default_storage.open(path, "rb").read() for path in paths}

    # Embargoed: every rendition, in every format, is a 404 at its public
    # address, and storage itself is not served at MEDIA_URL.
    urls = [image.url(name, fmt) for name in RENDITIONS for fmt in FORMATS]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert not any(body[:64] in response.content for body in made.values() if body)
    for path in paths:
        assert client.get(f"/media/{path}").status_code == 404

    # At the instant they are served as the worker made them.
    PressRelease.objects.filter(pk=release.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    for name in RENDITIONS:
        for fmt in FORMATS:
            response = client.get(image.url(name, fmt))
            assert response.status_code == 200, (name, fmt)
            body = b"".join(response.streaming_content)
            assert body == made[rendition_path(image.pk, image.checksum, name, fmt)]

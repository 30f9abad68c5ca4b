"""Media on an S3-compatible store (django-storages + boto3) against moto's server.

The bucket is private: an object's plain URL is refused to everyone.  Each
file door checks, as on disk, who may have the file, then redirects to a
signed URL that lives a minute.  Uploads, renditions and the media kit go
through the storage API, so they work on S3 unchanged.
"""

from __future__ import annotations

import datetime
import io
import urllib.error
import urllib.request
import zipfile
from email.message import Message

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from releases.file_urls import FileUrls
from releases.models import PressRelease, ReleaseAttachment, ReleaseOrganisation
from releases.roles import WRITER
from tests.factories import OrganisationFactory, PressReleaseFactory, ReleaseImageFactory
from tests.files.support import pdf_bytes
from tests.workflow.conftest import make_user
from tests.workflow.test_workflow_admin import change_url, form_data

pytestmark = pytest.mark.django_db


def _get(url: str) -> tuple[int, bytes, Message]:
    """GET from the store; the headers are looked up case-insensitively."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310
            return answer.status, answer.read(), answer.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def _follow(response) -> tuple[int, bytes, Message]:
    """A file door's answer must be a short-lived, never-stored redirect to the store."""
    assert response.status_code == 302, response
    assert response["Cache-Control"] == "private, no-store"
    location = response["Location"]
    assert "X-Amz-Signature=" in location
    assert "X-Amz-Expires=60" in location
    return _get(location)


def _embargoed(author) -> PressRelease:
    release = PressReleaseFactory(
        slug="harbour-accord",
        created_by=author,
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )
    ReleaseImageFactory(release=release, is_lead=True)
    ReleaseAttachment.objects.create(
        release=release, title="Signed text", file=ContentFile(pdf_bytes(), name="text.pdf")
    )
    return release


def test_an_upload_lands_in_the_bucket(s3):
    image = ReleaseImageFactory()
    assert image.image.storage.bucket_name == s3.bucket
    key = f"media/{image.image.name}"
    assert key in s3.object_keys()
    stored = s3.client.get_object(Bucket=s3.bucket, Key=key)["Body"].read()
    with image.image.open("rb") as handle:
        assert stored == handle.read()


def test_embargoed_files_open_only_through_a_signed_url_and_publicly_after_publishing(s3, client):
    writer = make_user(WRITER, "writer")
    release = _embargoed(writer)
    image = release.images.get()
    attachment = release.attachments.get()
    keys = s3.object_keys()
    assert f"media/{image.image.name}" in keys
    assert f"media/{attachment.file.name}" in keys

    # The store itself: no anonymous read of any object, by its plain URL.
    for key in keys:
        assert _get(f"{s3.endpoint}/{s3.bucket}/{key}")[0] == 403

    # The public doors are shut while the embargo lasts.
    public = FileUrls.public(release)
    for url in (
        public.image(image, "original"),
        public.image(image, "web"),
        public.attachment(attachment),
    ):
        assert client.get(url).status_code == 404

    # Staff who may preview get signed URLs, and the signed URL gives the file.
    client.force_login(writer)
    staff = FileUrls.staff_preview(release)
    status, body, headers = _follow(client.get(staff.image(image, "original")))
    assert status == 200
    with image.image.open("rb") as handle:
        assert body == handle.read()
    assert headers["Content-Disposition"].startswith("attachment;")
    status, body, headers = _follow(client.get(staff.image(image, "web", "webp")))
    assert status == 200
    assert headers["Content-Type"] == "image/webp"
    assert Image.open(io.BytesIO(body)).format == "WEBP"
    assert any(key.endswith(".webp") for key in s3.object_keys())  # the rendition is in the bucket
    status, body, _ = _follow(client.get(staff.attachment(attachment)))
    assert (status, body) == (200, pdf_bytes())
    client.logout()

    # The embargo lifts: the public doors redirect, and the signed URLs give the files.
    PressRelease.objects.filter(pk=release.pk).update(
        publish_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    status, body, _ = _follow(client.get(public.image(image, "web")))
    assert status == 200 and Image.open(io.BytesIO(body)).format == "JPEG"
    status, body, _ = _follow(client.get(public.attachment(attachment)))
    assert (status, body) == (200, pdf_bytes())
    # The media kit is built from the bucket's originals and streamed.
    kit = client.get(public.media_kit)
    assert kit.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(kit.streaming_content))) as archive:
        names = archive.namelist()
    assert "CREDITS.txt" in names and len(names) == 2
    # Still nothing by the plain URL: the bucket stays private.
    assert _get(f"{s3.endpoint}/{s3.bucket}/media/{image.image.name}")[0] == 403


def test_readiness_writes_and_reads_the_bucket(s3, client, settings):
    settings.NEWSROOM_HEALTH_WORKER_MAX_AGE = 0
    response = client.get("/health/ready/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    assert default_storage.bucket_name == s3.bucket
    assert not [key for key in s3.object_keys() if "health_check" in key]  # its probe file is gone
    assert reverse("health_ready") == "/health/ready/"


def test_the_environment_alone_puts_media_in_the_bucket(s3, tmp_path):
    """What an operator sets (NEWSROOM_S3_*), read by settings.py in a fresh process."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "from django.core.files.base import ContentFile;"
        "from django.core.files.storage import default_storage as s;"
        "print(s.save('probe/hello.txt', ContentFile(b'hello bucket')));"
        "print(s.url('probe/hello.txt'))"
    )
    env = {
        **os.environ,
        "NEWSROOM_TESTING": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "NEWSROOM_S3_BUCKET": s3.bucket,
        "NEWSROOM_S3_ENDPOINT_URL": s3.endpoint,
        "NEWSROOM_S3_REGION": "us-east-1",
        "NEWSROOM_S3_ACCESS_KEY_ID": "testing",
        "NEWSROOM_S3_SECRET_ACCESS_KEY": "testing",
        "NEWSROOM_S3_PREFIX": "site-a",
        "NEWSROOM_S3_SIGNED_URL_SECONDS": "45",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("PYTEST_VERSION", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    name, url = done.stdout.strip().splitlines()[-2:]
    assert name == "probe/hello.txt"
    assert "site-a/probe/hello.txt" in s3.object_keys()
    assert "X-Amz-Expires=45" in url
    assert _get(f"{s3.endpoint}/{s3.bucket}/site-a/probe/hello.txt")[0] == 403


def test_a_picture_uploaded_in_the_admin_lands_in_the_bucket(s3, client):
    """The desk's own form: a writer adds a picture to a draft; the original is in the bucket."""
    writer = make_user(WRITER, "uploader")
    release = PressReleaseFactory(
        status=PressRelease.Status.DRAFT, publish_at=None, created_by=writer
    )
    ReleaseOrganisation.objects.create(release=release, organisation=OrganisationFactory(), order=0)
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), "teal").save(buffer, "JPEG")
    client.force_login(writer)
    data = form_data(
        release,
        **{
            "images-TOTAL_FORMS": "1",
            "images-0-image": SimpleUploadedFile("harbour.jpg", buffer.getvalue(), "image/jpeg"),
            "images-0-alt_text": "Boats moored in a small harbour at dusk",
            "images-0-caption": "The harbour after the storm.",
            "images-0-credit": "© Example Organisation",
            "images-0-usage_terms": "Free for editorial use with credit.",
            "images-0-order": "0",
        },
    )
    response = client.post(change_url(release), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    image = release.images.get()
    key = f"media/{image.image.name}"
    assert key in s3.object_keys()
    stored = s3.client.get_object(Bucket=s3.bucket, Key=key)["Body"].read()
    assert Image.open(io.BytesIO(stored)).size == (320, 200)

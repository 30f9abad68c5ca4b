"""Public file URLs: nothing before publication, the right headers after."""

from __future__ import annotations

import datetime
import hashlib
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from releases.models import PressRelease, ReleaseAttachment
from releases.renditions import RENDITIONS
from tests.factories import PressReleaseFactory, ReleaseImageFactory
from tests.files.support import image_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db

Status = PressRelease.Status
FUTURE = datetime.timedelta(days=2)

NOT_PUBLIC = {
    "draft": {"status": Status.DRAFT, "publish_at": None},
    "in_review": {"status": Status.IN_REVIEW, "publish_at": None},
    "approved": {"status": Status.APPROVED, "publish_at": None},
    "approved-with-past-date": {"status": Status.APPROVED, "past": True},
    "scheduled-future": {"status": Status.PUBLISHED, "future": True},
    "withdrawn": {"status": Status.WITHDRAWN, "past": True},
    "removed": {"status": Status.REMOVED, "past": True},
}


def make_release(case: str) -> PressRelease:
    spec = dict(NOT_PUBLIC.get(case, {"status": Status.PUBLISHED, "past": True}))
    now = timezone.now()
    if spec.pop("future", False):
        spec["publish_at"] = now + FUTURE
    if spec.pop("past", False):
        spec["publish_at"] = now - datetime.timedelta(hours=1)
    return PressReleaseFactory(**spec)


def file_urls(release: PressRelease) -> list[str]:
    image = ReleaseImageFactory(release=release, image=upload(image_bytes(900, 600), "p.jpg"))
    attachment = ReleaseAttachment.objects.create(
        release=release, title="Signed MoU", file=upload(pdf_bytes(), "mou.pdf")
    )
    urls = [image.url(name) for name in ("original", *RENDITIONS)]
    urls += [image.url(name, "webp") for name in RENDITIONS]
    urls += [attachment.get_absolute_url(), reverse("releases:media_kit", args=[release.slug])]
    return urls


@pytest.mark.parametrize("case", [*NOT_PUBLIC, "published"])
def test_embargo_leak_matrix(client, case):
    release = make_release(case)
    urls = file_urls(release)
    assert len(urls) == 3 + 2 * len(RENDITIONS)
    expected = 200 if case == "published" else 404
    for url in urls:
        response = client.get(url)
        assert response.status_code == expected, (case, url)
        if expected == 404:
            assert b"\xff\xd8" not in response.content[:4]  # no JPEG bytes in a 404


def test_embargo_lifts_at_its_instant(client):
    release = make_release("scheduled-future")
    url = file_urls(release)[0]
    assert client.get(url).status_code == 404
    PressRelease.objects.filter(pk=release.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(url).status_code == 200


def test_a_file_of_another_release_is_not_reachable_under_a_public_slug(client):
    public = make_release("published")
    secret = ReleaseImageFactory(release=make_release("draft"))
    url = reverse("releases:image", args=[public.slug, secret.pk, "web"])
    assert client.get(url).status_code == 404
    attachment = ReleaseAttachment.objects.create(
        release=secret.release, title="Secret", file=upload(pdf_bytes(), "s.pdf")
    )
    assert (
        client.get(reverse("releases:file", args=[public.slug, attachment.pk])).status_code == 404
    )


@pytest.mark.parametrize("bad", ["huge", "../../etc/passwd", "original/webp"])
def test_unknown_renditions_are_404(client, bad):
    image = ReleaseImageFactory()
    url = f"/releases/{image.release.slug}/images/{image.pk}/{bad}/"
    assert client.get(url).status_code == 404


def test_original_is_served_byte_for_byte_as_a_download(client):
    data = image_bytes(700, 500)
    image = ReleaseImageFactory(image=upload(data, "IMG_0001.JPG"))
    response = client.get(image.url("original"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{image.release.slug}-photo-{image.pk}.jpg"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "public" in response["Cache-Control"]
    assert "max-age=600" in response["Cache-Control"]
    assert response["ETag"].startswith(f'"{image.checksum[:32]}')
    assert int(response["Content-Length"]) == len(data)


@pytest.mark.parametrize(("fmt", "content_type"), [("jpeg", "image/jpeg"), ("webp", "image/webp")])
def test_rendition_headers(client, fmt, content_type):
    image = ReleaseImageFactory(image=upload(image_bytes(1600, 900), "p.jpg"))
    response = client.get(image.url("web", fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    picture = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert picture.size == (1200, 675)


def test_etag_revalidation_answers_304(client):
    image = ReleaseImageFactory()
    first = client.get(image.url("thumb"))
    again = client.get(image.url("thumb"), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    other = client.get(image.url("web"))
    assert other["ETag"] != first["ETag"]


def test_etag_changes_when_the_picture_changes(client):
    image = ReleaseImageFactory()
    before = client.get(image.url("web"))["ETag"]
    image.image = upload(image_bytes(80, 80, color=(1, 2, 3)), "new.jpg")
    image.save()
    after = client.get(image.url("web"), headers={"if-none-match": before})
    assert after.status_code == 200
    assert after["ETag"] != before


def test_post_is_not_allowed(client):
    image = ReleaseImageFactory()
    assert client.post(image.url("web")).status_code == 405


def test_missing_file_on_disk_is_404_not_500(client):
    image = ReleaseImageFactory()
    default_storage.delete(image.image.name)
    assert client.get(image.url("original")).status_code == 404
    assert client.get(image.url("thumb")).status_code == 404


def test_attachment_download(client):
    data = pdf_bytes("a document")
    attachment = ReleaseAttachment.objects.create(
        release=make_release("published"),
        title="Memorandum of Understanding (signed)",
        file=upload(data, "scan 0001.pdf"),
    )
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="memorandum-of-understanding-signed.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "public" in response["Cache-Control"]
    assert response["ETag"]
    again = client.get(attachment.get_absolute_url(), headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


# Media kit -----------------------------------------------------------------------


def test_media_kit_holds_originals_byte_for_byte_and_credits(client):
    release = make_release("published")
    originals = {}
    for i, colour in enumerate([(255, 0, 0), (0, 255, 0), (0, 0, 255)]):
        data = image_bytes(300 + i, 200, color=colour)
        image = ReleaseImageFactory(
            release=release,
            image=upload(data, "same-name.jpg"),
            caption=f"Caption number {i}: families at a distribution site",
            credit=f"© Example Agency 2023/Photographer {i}",
            usage_terms=f"Editorial use only, terms {i}",
        )
        originals[image.download_filename] = (data, image)

    response = client.get(reverse("releases:media_kit", args=[release.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{release.slug}-media-kit.zip"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    names = archive.namelist()
    assert sorted(names) == sorted([*originals, "CREDITS.txt"])
    for name, (data, _image) in originals.items():
        assert hashlib.sha256(archive.read(name)).digest() == hashlib.sha256(data).digest()
    credits = archive.read("CREDITS.txt").decode("utf-8")
    assert release.title in credits
    assert f"http://testserver{release.get_absolute_url()}" in credits
    assert str(timezone.localtime(release.publish_at).year) in credits
    for name, (_data, image) in originals.items():
        assert name in credits
        assert image.caption in credits
        assert image.credit in credits
        assert image.usage_terms in credits
        assert f"{image.width}×{image.height}" in credits


def test_media_kit_is_404_without_pictures(client):
    release = make_release("published")
    assert client.get(reverse("releases:media_kit", args=[release.slug])).status_code == 404


def test_media_kit_etag_is_stable_and_revalidates(client):
    image = ReleaseImageFactory()
    url = reverse("releases:media_kit", args=[image.release.slug])
    first = client.get(url)
    second = client.get(url)
    assert first["ETag"] == second["ETag"]
    assert b"".join(first.streaming_content) == b"".join(second.streaming_content)
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304


# Query counts --------------------------------------------------------------------


def test_image_view_query_count(client, django_assert_num_queries):
    image = ReleaseImageFactory()
    client.get(image.url("thumb"))  # render once
    for rendition in ("original", "thumb", "web", "social"):
        with django_assert_num_queries(2):  # the release, then its picture
            assert client.get(image.url(rendition)).status_code == 200


def test_attachment_view_query_count(client, django_assert_num_queries):
    attachment = ReleaseAttachment.objects.create(
        release=make_release("published"), title="MoU", file=upload(pdf_bytes(), "m.pdf")
    )
    with django_assert_num_queries(2):
        assert client.get(attachment.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [1, 5])
def test_media_kit_query_count_does_not_grow_with_pictures(
    client, django_assert_num_queries, count
):
    release = make_release("published")
    ReleaseImageFactory.create_batch(count, release=release)
    with django_assert_num_queries(2):  # the release, then its pictures
        response = client.get(reverse("releases:media_kit", args=[release.slug]))
        b"".join(response.streaming_content)
    assert response.status_code == 200


def test_leaked_404s_cost_one_query(client, django_assert_num_queries):
    image = ReleaseImageFactory(release=make_release("scheduled-future"))
    with django_assert_num_queries(1):
        assert client.get(image.url("original")).status_code == 404

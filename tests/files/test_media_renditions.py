"""Renditions: exact sizes, orientation applied, metadata gone, made once."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django_tasks_db.models import DBTaskResult
from PIL import Image

from releases.renditions import RENDITIONS, ensure_rendition, generate_renditions, render
from releases.tasks import make_renditions
from tests.factories import ReleaseImageFactory
from tests.files.support import image_bytes, oriented_jpeg, upload

pytestmark = pytest.mark.django_db


def open_rendition(image, name: str, fmt: str = "jpeg") -> Image.Image:
    path = ensure_rendition(image, name, fmt)
    with default_storage.open(path, "rb") as handle:
        picture = Image.open(io.BytesIO(handle.read()))
        picture.load()
    return picture


@pytest.fixture
def big_image():
    return ReleaseImageFactory(image=upload(image_bytes(2400, 1600), "big.jpg"))


@pytest.mark.parametrize("fmt", ["jpeg", "webp"])
def test_sizes(big_image, fmt):
    thumb = open_rendition(big_image, "thumb", fmt)
    web = open_rendition(big_image, "web", fmt)
    social = open_rendition(big_image, "social", fmt)
    assert thumb.size == (400, round(1600 * 400 / 2400))
    assert web.size == (1200, 800)
    assert social.size == (1200, 630)
    assert thumb.format == {"jpeg": "JPEG", "webp": "WEBP"}[fmt]


def test_rendition_sizes_match_what_templates_print(big_image):
    for name, rendition in big_image.renditions.items():
        assert open_rendition(big_image, name).size == (rendition.width, rendition.height)


def test_small_pictures_are_not_upscaled_except_the_social_card():
    image = ReleaseImageFactory(image=upload(image_bytes(300, 200), "small.jpg"))
    assert open_rendition(image, "thumb").size == (300, 200)
    assert open_rendition(image, "web").size == (300, 200)
    assert open_rendition(image, "social").size == (1200, 630)


def test_social_card_is_cropped_from_the_centre():
    # A tall picture: green band in the middle, red above and below.
    picture = Image.new("RGB", (1000, 3000), (255, 0, 0))
    picture.paste((0, 255, 0), (0, 1200, 1000, 1800))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    image = ReleaseImageFactory(image=upload(buffer.getvalue(), "tall.png"))
    social = open_rendition(image, "social").convert("RGB")
    r, g, _b = social.getpixel((600, 315))
    assert g > 200 and r < 60
    # The crop keeps the middle 525 px of height: the green band is 600 px, so
    # even the top and bottom rows are green.
    assert social.getpixel((600, 2))[1] > 200
    assert social.getpixel((600, 627))[1] > 200


@pytest.mark.parametrize(("orientation", "left_colour"), [(6, "red-top"), (8, "blue-top")])
def test_exif_orientation_is_applied(orientation, left_colour):
    # Stored 800x400 (landscape) with a "rotate" tag: viewers show it portrait.
    image = ReleaseImageFactory(image=upload(oriented_jpeg(800, 400, orientation), "phone.jpg"))
    assert (image.width, image.height) == (400, 800)
    web = open_rendition(image, "web").convert("RGB")
    assert web.size == (400, 800)
    top, bottom = web.getpixel((200, 100)), web.getpixel((200, 700))
    red_on_top = top[0] > 200 and bottom[2] > 200
    assert red_on_top == (left_colour == "red-top")
    thumb = open_rendition(image, "thumb")
    assert thumb.size == (400, 800)


def test_metadata_is_stripped_from_renditions_but_kept_in_the_original():
    image = ReleaseImageFactory(image=upload(oriented_jpeg(600, 300, 6), "phone.jpg"))
    with image.image.open("rb") as handle:
        assert Image.open(handle).getexif().get(0x010F) == "Example Camera Maker"
    for name in RENDITIONS:
        for fmt in ("jpeg", "webp"):
            picture = open_rendition(image, name, fmt)
            assert dict(picture.getexif()) == {}, (name, fmt)
            assert "exif" not in picture.info


def test_transparent_png_is_flattened_on_white():
    data = image_bytes(500, 300, fmt="PNG", mode="RGBA", color=(0, 0, 0, 0))
    image = ReleaseImageFactory(image=upload(data, "logo.png"))
    thumb = open_rendition(image, "thumb").convert("RGB")
    assert thumb.getpixel((10, 10)) == pytest.approx((255, 255, 255), abs=3)


def test_rendering_is_deterministic():
    data = oriented_jpeg(1600, 900, 1)
    first = render(io.BytesIO(data), RENDITIONS["web"], "jpeg")
    second = render(io.BytesIO(data), RENDITIONS["web"], "jpeg")
    assert first == second


def test_ensure_rendition_is_idempotent(big_image):
    path = ensure_rendition(big_image, "thumb")
    folder = path.rsplit("/", 1)[0]
    mtime = default_storage.get_modified_time(path)
    assert ensure_rendition(big_image, "thumb") == path
    assert default_storage.get_modified_time(path) == mtime
    assert default_storage.listdir(folder)[1] == ["thumb.jpg"]
    assert big_image.checksum[:16] in path


def test_generate_all_renditions(big_image):
    paths = generate_renditions(big_image)
    assert len(paths) == len(RENDITIONS) * 2
    assert all(default_storage.exists(path) for path in paths)


def test_new_file_gets_new_renditions_and_old_ones_are_removed(
    big_image, django_capture_on_commit_callbacks
):
    old_path = ensure_rendition(big_image, "web")
    old_original = big_image.image.name
    big_image.image = upload(image_bytes(1800, 1800, color=(0, 0, 255)), "new.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        big_image.save()
    new_path = ensure_rendition(big_image, "web")
    assert new_path != old_path
    assert not default_storage.exists(old_path)
    # The replaced original is kept: a revision still names it (restore, recovery);
    # purge_orphan_files removes it once nothing refers to it.
    assert default_storage.exists(old_original)
    with default_storage.open(new_path, "rb") as handle:
        assert Image.open(handle).size == (1200, 1200)


def test_upload_renders_nothing_and_queues_the_renditions_for_the_worker(
    django_capture_on_commit_callbacks,
):
    # Renditions used to be made on commit, inside the upload request: a big
    # picture cost six decodes there.  Now the request stores the master and
    # queues a task; the worker makes them all (tests/files/test_rendition_worker.py
    # runs a real one).
    with django_capture_on_commit_callbacks(execute=True):
        image = ReleaseImageFactory(image=upload(image_bytes(900, 600), "p.jpg"))
    folder = f"releases/renditions/{image.pk}/{image.checksum[:16]}"
    assert not default_storage.exists(folder)
    queued = DBTaskResult.objects.filter(task_path="releases.tasks.make_renditions")
    assert [row.args_kwargs["args"] for row in queued] == [[image.pk]]
    assert make_renditions.call(image.pk) == len(RENDITIONS) * 2
    assert sorted(default_storage.listdir(folder)[1]) == sorted(
        f"{name}.{ext}" for name in RENDITIONS for ext in ("jpg", "webp")
    )
    assert make_renditions.call(image.pk + 1000) == 0  # deleted since: nothing to do


def test_deleting_a_picture_deletes_its_renditions_and_keeps_the_original(
    big_image, django_capture_on_commit_callbacks
):
    rendition = ensure_rendition(big_image, "thumb")
    original = big_image.image.name
    with django_capture_on_commit_callbacks(execute=True):
        big_image.delete()
    assert not default_storage.exists(rendition)
    # Kept for recovery and restore (a revision names it); purge_orphan_files removes it.
    assert default_storage.exists(original)


def test_editing_text_does_not_touch_files(big_image, django_capture_on_commit_callbacks):
    rendition = ensure_rendition(big_image, "thumb")
    checksum = big_image.checksum
    big_image.caption = "A corrected caption"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        big_image.save()
    assert callbacks == []
    assert big_image.checksum == checksum
    assert default_storage.exists(rendition)

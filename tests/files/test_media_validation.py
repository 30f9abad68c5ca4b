"""Pictures and documents are refused with a clear reason, never a 500."""

from __future__ import annotations

import io
import struct
import zlib

import docx
import pytest
from django.core.exceptions import ValidationError

from releases.admin.media import ReleaseImageForm
from releases.models import ReleaseAttachment, ReleaseImage
from tests.factories import PressReleaseFactory
from tests.files.support import docx_bytes, image_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def png_with_declared_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width``x``height`` pixels (a bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def image_form(release, data: bytes, name: str = "photo.jpg", **overrides) -> ReleaseImageForm:
    fields = {
        "alt_text": "Two women carry boxes of supplies",
        "caption": "Relief supplies arrive in the district.",
        "credit": "© Example 2023/A. Photographer",
        "usage_terms": "Free for editorial use with credit.",
        "order": 0,
        **overrides,
    }
    form = ReleaseImageForm(data=fields, files={"image": upload(data, name)})
    form.instance.release = release
    return form


def model_errors(release, data: bytes, name: str = "photo.jpg") -> list[str]:
    image = ReleaseImage(
        release=release, image=upload(data, name), alt_text="a", caption="b", credit="c"
    )
    with pytest.raises(ValidationError) as excinfo:
        image.full_clean()
    return excinfo.value.message_dict["image"]


@pytest.fixture
def release():
    return PressReleaseFactory()


def test_a_real_jpeg_is_accepted_and_its_facts_recorded(release):
    form = image_form(release, image_bytes(320, 200))
    assert form.is_valid(), form.errors
    image = form.save()
    assert (image.width, image.height) == (320, 200)
    assert image.file_size == len(image_bytes(320, 200))
    assert len(image.checksum) == 64
    assert image.image.name.endswith(".jpg")


BROKEN = {
    "text named photo.jpg": (b"This is a note, not a photograph.\n" * 20, "not an image"),
    "malformed header": (b"\xff\xd8\xff\xe0garbage" + b"\x00" * 200, "not an image"),
    "truncated jpeg": (image_bytes(800, 600, color=(10, 120, 200))[:600], "not an image"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_files_are_refused_in_the_admin_form(release, case):
    data, expected = BROKEN[case]
    form = image_form(release, data)
    assert not form.is_valid()
    assert expected in " ".join(form.errors["image"]).lower()


def test_truncated_jpeg_is_refused_by_full_clean(release):
    # Django's ImageField only calls verify(), which a cut-off JPEG passes:
    # the model validator has to decode the pixels to notice.
    data = image_bytes(800, 600)
    truncated = data[: len(data) // 2]
    assert "not an image" in " ".join(model_errors(release, truncated)).lower()


def test_text_file_named_jpg_is_refused_by_full_clean(release):
    messages = model_errors(release, b"hello\n" * 50, "photo.jpg")
    assert "Upload a JPEG, PNG, WebP or GIF" in " ".join(messages)


def test_oversized_file_is_refused(release, settings):
    data = image_bytes(200, 200)
    settings.NEWSROOM_IMAGE_MAX_BYTES = len(data) - 1
    form = image_form(release, data)
    assert not form.is_valid()
    assert "the limit is" in " ".join(form.errors["image"])
    settings.NEWSROOM_IMAGE_MAX_BYTES = len(data)
    assert image_form(release, data).is_valid()


def test_too_many_pixels_under_a_lowered_limit(release, settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 100 * 100
    form = image_form(release, image_bytes(101, 100))
    assert not form.is_valid()
    assert "101×100 pixels" in " ".join(form.errors["image"])
    assert image_form(release, image_bytes(100, 100)).is_valid()


def test_decompression_bomb_with_huge_declared_size_is_refused(release):
    bomb = png_with_declared_size(100_000, 100_000)  # 10 gigapixels declared, 100 bytes stored
    assert len(bomb) < 200
    form = image_form(release, bomb, name="bomb.png")
    assert not form.is_valid()
    assert "pixels" in " ".join(form.errors["image"])
    assert "pixels" in " ".join(model_errors(release, bomb, "bomb.png"))


def test_bomb_through_the_admin_add_view_is_a_form_error_not_a_500(admin_client, release):
    from django.urls import reverse

    response = admin_client.post(
        reverse("admin:releases_releaseimage_add"),
        {
            "release": release.pk,
            "image": upload(png_with_declared_size(50_000, 50_000), "bomb.png"),
            "alt_text": "x",
            "caption": "y",
            "credit": "z",
            "usage_terms": "Free",
            "order": 0,
        },
    )
    assert response.status_code == 200
    assert "pixels" in response.content.decode()
    assert not ReleaseImage.objects.exists()


@pytest.mark.parametrize("field", ["alt_text", "caption", "credit"])
def test_alt_caption_and_credit_are_required(release, field):
    form = image_form(release, image_bytes(), **{field: ""})
    assert not form.is_valid()
    assert field in form.errors


def test_png_named_jpg_is_stored_with_its_real_extension(release):
    form = image_form(release, image_bytes(40, 30, fmt="PNG"), name="photo.jpg")
    assert form.is_valid(), form.errors
    image = form.save()
    assert image.image.name.endswith(".png")
    assert image.content_type == "image/png"


# Attachments -----------------------------------------------------------------


def attachment_errors(release, data: bytes, name: str, title: str = "The signed MoU") -> dict:
    attachment = ReleaseAttachment(release=release, title=title, file=upload(data, name, ""))
    try:
        attachment.full_clean()
    except ValidationError as exc:
        return exc.message_dict
    return {}


def real_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Memorandum of understanding, signed in Islamabad.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_real_pdf_and_docx_are_accepted(release):
    assert attachment_errors(release, pdf_bytes(), "mou.pdf") == {}
    assert attachment_errors(release, real_docx(), "mou.docx") == {}


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"just text, renamed\n" * 10, "mou.pdf", "not a PDF or a Word"),
        (image_bytes(), "mou.docx", "not a PDF or a Word"),
        (docx_bytes()[:40], "mou.docx", "not a PDF or a Word"),
        (b"PK\x03\x04" + b"\x00" * 100, "mou.docx", "not a PDF or a Word"),
        (pdf_bytes(), "mou.docx", "Rename it to .pdf"),
        (pdf_bytes()[:60], "mou.pdf", "incomplete"),
        (docx_bytes({"word/vbaProject.bin": b"macro"}), "mou.docx", "macros"),
        (pdf_bytes(), "mou.exe", "not allowed"),
    ],
    ids=[
        "text-as-pdf",
        "jpeg-as-docx",
        "cut-zip",
        "zip-header-only",
        "pdf-named-docx",
        "truncated-pdf",
        "macro-docx",
        "exe-extension",
    ],
)
def test_fake_documents_are_refused(release, data, name, expected):
    errors = attachment_errors(release, data, name)
    assert expected in " ".join(errors.get("file", [])), errors


def test_zip_without_word_document_is_not_a_docx(release):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "not a PDF or a Word" in " ".join(
        attachment_errors(release, buffer.getvalue(), "mou.docx")["file"]
    )


def test_attachment_size_bound(release, settings):
    data = pdf_bytes()
    settings.NEWSROOM_ATTACHMENT_MAX_BYTES = len(data) - 1
    assert "the limit is" in " ".join(attachment_errors(release, data, "mou.pdf")["file"])


def test_attachment_title_required(release):
    assert "title" in attachment_errors(release, pdf_bytes(), "mou.pdf", title="")


def test_attachment_size_recorded_on_save(release):
    data = pdf_bytes()
    attachment = ReleaseAttachment.objects.create(
        release=release, title="MoU", file=upload(data, "mou.pdf", "application/pdf")
    )
    assert attachment.file_size == len(data)

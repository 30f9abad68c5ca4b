"""The release-page partials and the admin pieces for pictures."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse

from releases.admin.media import ReleaseAttachmentInline, ReleaseImageInline
from releases.models import PressRelease, ReleaseAttachment, ReleaseImage
from tests.factories import PressReleaseFactory, ReleaseImageFactory, UserFactory
from tests.files.support import image_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def load(release: PressRelease) -> PressRelease:
    return PressRelease.objects.prefetch_related(
        Prefetch("images", queryset=ReleaseImage.objects.all()), "attachments"
    ).get(pk=release.pk)


def test_images_partial_lead_figure_and_gallery(django_assert_num_queries):
    release = PressReleaseFactory()
    lead = ReleaseImageFactory(
        release=release, image=upload(image_bytes(2400, 1600), "a.jpg"), is_lead=True
    )
    other = ReleaseImageFactory(release=release, image=upload(image_bytes(300, 300), "b.jpg"))
    release = load(release)
    with django_assert_num_queries(0):
        html = render_to_string("releases/_images.html", {"release": release})
    assert html.count("<figure") == 2
    assert html.index(lead.caption) < html.index(other.caption)
    assert f'src="{lead.url("web")}"' in html
    assert f"{lead.url('thumb')} 400w, {lead.url('medium')} 800w, {lead.url('web')} 1200w" in html
    assert 'width="1200" height="800"' in html
    assert f'alt="{lead.alt_text}"' in html
    assert lead.credit in html
    assert f'href="{lead.url("original")}"' in html
    assert "Download high resolution (2400×1600," in html
    assert f"{lead.url('web', 'webp')} 1200w" in html
    # The small picture is not upscaled: its thumbnail stays 300 px wide,
    # and it offers that one width once, not three copies of it.
    assert 'width="300" height="300"' in html
    assert f'srcset="{other.url("thumb")} 300w"' in html
    assert f'srcset="{other.url("thumb", "webp")} 300w"' in html
    # Every <img> has its size, so nothing shifts as pictures arrive.
    for tag in re.findall(r"<img [^>]*>", html):
        assert re.search(r'width="\d+" height="\d+"', tag), tag
    assert reverse("releases:media_kit", args=[release.slug]) in html
    assert len(re.findall(r"<figcaption>", html)) == 2


def test_images_partial_is_empty_without_pictures():
    release = load(PressReleaseFactory())
    assert render_to_string("releases/_images.html", {"release": release}).strip() == ""


def test_attachments_partial(django_assert_num_queries):
    release = PressReleaseFactory()
    data = pdf_bytes()
    attachment = ReleaseAttachment.objects.create(
        release=release, title="Signed MoU", file=upload(data, "mou.pdf")
    )
    release = load(release)
    with django_assert_num_queries(0):
        html = render_to_string("releases/_attachments.html", {"release": release})
    assert f'href="{attachment.get_absolute_url()}"' in html
    assert "Signed MoU" in html
    assert "PDF" in html


def test_inlines_use_the_validating_form():
    assert ReleaseImageInline.model is ReleaseImage
    assert ReleaseAttachmentInline.model is ReleaseAttachment
    form_class = ReleaseImageInline.form
    assert "image" in form_class.base_fields
    assert type(form_class.base_fields["image"]).__name__ == "ValidatedImageField"


def test_admin_preview_serves_unpublished_pictures_to_staff_only(client, admin_client):
    image = ReleaseImageFactory(
        release=PressReleaseFactory(status=PressRelease.Status.DRAFT, publish_at=None),
        image=upload(image_bytes(900, 600), "p.jpg"),
    )
    url = reverse("admin:releases_releaseimage_preview", args=[image.pk, "thumb"])
    assert client.get(image.url("thumb")).status_code == 404  # public: nothing
    anonymous = client.get(url)
    assert anonymous.status_code == 302  # to the admin login
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert (
        admin_client.get(
            reverse("admin:releases_releaseimage_preview", args=[image.pk, "nope"])
        ).status_code
        == 404
    )


def test_admin_preview_needs_view_permission(client):
    image = ReleaseImageFactory()
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    url = reverse("admin:releases_releaseimage_preview", args=[image.pk, "thumb"])
    assert client.get(url).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_releaseimage"))
    assert client.get(url).status_code == 200


def test_admin_change_page_shows_a_preview(admin_client):
    image = ReleaseImageFactory()
    response = admin_client.get(reverse("admin:releases_releaseimage_change", args=[image.pk]))
    assert response.status_code == 200
    assert reverse("admin:releases_releaseimage_preview", args=[image.pk, "thumb"]) in (
        response.content.decode()
    )


def inline_formset_data(prefix: str, files: list[tuple[str, bytes]]) -> tuple[dict, dict]:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(files)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    uploads = {}
    for i, (name, content) in enumerate(files):
        data.update(
            {
                f"{prefix}-{i}-alt_text": "Alt",
                f"{prefix}-{i}-caption": "Caption",
                f"{prefix}-{i}-credit": "Credit",
                f"{prefix}-{i}-usage_terms": "Free",
                f"{prefix}-{i}-order": str(i),
            }
        )
        uploads[f"{prefix}-{i}-image"] = upload(content, name)
    return data, uploads


def test_inline_formset_refuses_a_bad_picture_and_keeps_the_good_one_unsaved(rf):
    from django.contrib import admin

    release = PressReleaseFactory()
    request = rf.get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    inline = ReleaseImageInline(PressRelease, admin.site)
    formset_class = inline.get_formset(request, release)
    prefix = formset_class.get_default_prefix()
    data, files = inline_formset_data(
        prefix, [("good.jpg", image_bytes(120, 80)), ("notes.jpg", b"plain text " * 30)]
    )
    formset = formset_class(data, files, instance=release, prefix=prefix)
    assert not formset.is_valid()
    assert formset.errors[0] == {}
    assert "not an image" in " ".join(formset.errors[1]["image"])
    assert not ReleaseImage.objects.exists()

"""Admin pieces for release pictures and documents.

The PressRelease admin (``press_releases.py``) adds :class:`ReleaseImageInline`
and :class:`ReleaseAttachmentInline` to its ``inlines``.  The public file
URLs answer 404 until a release is published, so editors preview pictures
through a staff-only admin URL registered by :class:`ReleaseImageAdmin`.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.images import ValidatedImageField
from releases.models import ReleaseAttachment, ReleaseImage
from releases.renditions import FORMATS, RENDITIONS, ensure_rendition


class ReleaseImageForm(forms.ModelForm):
    """Gives the editor the precise reason a picture is refused."""

    image = ValidatedImageField(
        help_text="JPEG, PNG, WebP or GIF. The file is kept as uploaded for the "
        "high-resolution download; web sizes are made from it.",
    )

    class Meta:
        model = ReleaseImage
        fields = ["image", "alt_text", "caption", "credit", "usage_terms", "is_lead", "order"]


def preview_url(image: ReleaseImage, rendition: str = "thumb") -> str:
    try:
        return reverse(
            "admin:releases_releaseimage_preview",
            kwargs={"object_id": image.pk, "rendition": rendition},
        )
    except NoReverseMatch:  # standalone admin not registered on this site
        return ""


def image_preview(image: ReleaseImage) -> SafeString | str:
    """A thumbnail and the facts of the original, for the inline and the list."""
    if not image.pk or not image.image:
        return "—"
    url = preview_url(image)
    facts = f"{image.width}×{image.height} px, {image.file_size // 1024} KB"
    if not url:
        return facts
    return format_html(
        '<img src="{}" alt="" width="160" style="height:auto;display:block"><small>{}</small>',
        url,
        facts,
    )


class ReleaseImageInline(admin.StackedInline):
    model = ReleaseImage
    form = ReleaseImageForm
    extra = 0
    fields = [
        "image",
        "preview",
        "alt_text",
        "caption",
        "credit",
        "usage_terms",
        ("is_lead", "order"),
    ]
    readonly_fields = ["preview"]

    @admin.display(description="Preview")
    def preview(self, obj: ReleaseImage) -> SafeString | str:
        return image_preview(obj)


class ReleaseAttachmentInline(admin.TabularInline):
    model = ReleaseAttachment
    extra = 0
    fields = ["title", "file", "order"]


@admin.register(ReleaseImage)
class ReleaseImageAdmin(admin.ModelAdmin):
    """Every picture across releases, and the staff preview of renditions."""

    form = ReleaseImageForm
    list_display = ["thumbnail", "caption", "credit", "release", "is_lead"]
    list_select_related = ["release"]
    search_fields = ["caption", "credit", "alt_text", "release__title"]
    raw_id_fields = ["release"]
    fields = [
        "release",
        "image",
        "thumbnail",
        "alt_text",
        "caption",
        "credit",
        "usage_terms",
        "is_lead",
        "order",
    ]
    readonly_fields = ["thumbnail"]

    @admin.display(description="Picture")
    def thumbnail(self, obj: ReleaseImage) -> SafeString | str:
        return image_preview(obj)

    def get_urls(self) -> list[URLPattern]:
        preview = path(
            "<int:object_id>/preview/<str:rendition>/",
            self.admin_site.admin_view(self.preview_view),
            name="releases_releaseimage_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request: HttpRequest, object_id: int, rendition: str) -> HttpResponse:
        """A rendition of any picture, published or not, for staff only; never cached."""
        image = get_object_or_404(ReleaseImage.objects.select_related("release"), pk=object_id)
        if not self.has_view_permission(request, image):
            raise PermissionDenied
        if rendition not in RENDITIONS:
            raise Http404("No such rendition.")
        try:
            name = ensure_rendition(image, rendition, "jpeg")
            response = FileResponse(
                default_storage.open(name, "rb"), content_type=FORMATS["jpeg"][1]
            )
        except FileNotFoundError as exc:
            raise Http404("The file is missing.") from exc
        response["X-Content-Type-Options"] = "nosniff"
        add_never_cache_headers(response)
        response["Cache-Control"] += ", private"
        return response


@admin.register(ReleaseAttachment)
class ReleaseAttachmentAdmin(admin.ModelAdmin):
    list_display = ["title", "release", "file_size"]
    list_select_related = ["release"]
    search_fields = ["title", "release__title"]
    raw_id_fields = ["release"]

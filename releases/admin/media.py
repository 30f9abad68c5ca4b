"""Admin pieces for release pictures and documents.

Pictures and documents are changed **in their release's form**: the
PressRelease admin (``press_releases.py``) adds :class:`ReleaseImageInline`
and :class:`ReleaseAttachmentInline`, which are editable exactly when the
release is (``workflow.can_edit``), and whose changes go through the
release's edit path (audited by name, a change note on a public release, a
new review for an approved or scheduled one).

The stand-alone picture and document pages are **lists**: everyone with
view permission sees them, with a link to each file's release.  Only a
superuser may change files there, and only of a draft or a release in
review (``workflow.can_change_files_directly``); such a change is audited
and kept in a revision like any edit.  The public file URLs answer 404
until a release is published, so staff preview pictures and download
documents through staff-only admin URLs registered here.  The two lists
are technical tables (``audit.TechnicalTable``): off the admin's home page
for everyone but administrators, while their pages keep answering.
"""

from __future__ import annotations

from typing import Any

import reversion
from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.images import ValidatedImageField
from releases import workflow
from releases.admin.audit import TechnicalTable
from releases.admin.changes import field_label
from releases.admin.helpers import WorkflowInlinePermissions
from releases.documents import document_response
from releases.models import PressRelease, ReleaseAttachment, ReleaseImage
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


class ReleaseFilesFormSet(BaseInlineFormSet):
    """The pictures or documents of one release, as its change form posts them.

    A change to a public release's files is refused here, before anything is
    saved, unless the form says "major change" with a change note
    (``workflow.check_file_changes``): readers are told when a picture or a
    document they may have used changes.
    """

    def clean(self) -> None:
        super().clean()
        release = self.instance
        if not release.pk or not any(form.has_changed() for form in self.forms):
            return
        try:
            workflow.check_file_changes(
                release,
                workflow.ContentChanges(files=("changed",)),
                major=self.data.get("change_kind") == "major",
                change_note=str(self.data.get("change_note") or ""),
            )
        except workflow.TransitionError as exc:
            raise ValidationError(str(exc), code="needs_change_note") from exc


class ReleaseImageInline(WorkflowInlinePermissions, admin.StackedInline):
    model = ReleaseImage
    form = ReleaseImageForm
    formset = ReleaseFilesFormSet
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


class ReleaseAttachmentInline(WorkflowInlinePermissions, admin.TabularInline):
    model = ReleaseAttachment
    formset = ReleaseFilesFormSet
    extra = 0
    fields = ["title", "file", "order"]


class FileListAdmin(admin.ModelAdmin):
    """A stand-alone list of files: read-only but for a superuser's drafts (see the module).

    ``delete_selected`` is off: a bulk delete would skip the per-release check.
    """

    actions = None
    list_select_related = ["release"]
    raw_id_fields = ["release"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return self.has_add_permission(request)
        return workflow.can_change_files_directly(request.user, obj.release)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        """A file stays with the release it was added to."""
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "release"] if obj is not None else fields

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        def clean_release(self: forms.ModelForm) -> PressRelease:
            release = self.cleaned_data.get("release")
            if release is not None and not workflow.can_change_files_directly(user, release):
                raise ValidationError(
                    "Files of this release change in the release's own form, where its "
                    "rules apply (review, change notes); open the release to add one.",
                    code="not_here",
                )
            return release

        if "release" in form.base_fields:
            form = type(form.__name__, (form,), {"clean_release": clean_release})
        return form

    @admin.display(description="Release", ordering="release__title")
    def release_link(self, obj: models.Model) -> SafeString:
        url = reverse("admin:releases_pressrelease_change", args=[obj.release_id])
        return format_html('<a href="{}">{}</a>', url, obj.release)

    def save_model(self, request: HttpRequest, obj: Any, form: forms.Form, change: bool) -> None:
        """Saved with a revision of the release and an audit entry naming the file."""
        verb = "changed" if change else "added"
        if change and form.changed_data:
            labels = ", ".join(field_label(obj, name) for name in form.changed_data)
            verb = f"changed ({labels})"
        with reversion.create_revision():
            super().save_model(request, obj, form, change)
            self._record(request, obj, f"{workflow.describe(obj)} {verb}")

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with reversion.create_revision():
            super().delete_model(request, obj)
            self._record(request, obj, f"{workflow.describe(obj)} removed")

    def _record(self, request: HttpRequest, obj: Any, what: str) -> None:
        release = PressRelease.objects.get(pk=obj.release_id)
        reversion.set_user(request.user)
        reversion.set_comment(what[:1].upper() + what[1:])
        reversion.add_to_revision(release)
        workflow.record_edit(release, request.user, changes=workflow.ContentChanges(files=(what,)))


@admin.register(ReleaseImage)
class ReleaseImageAdmin(TechnicalTable, FileListAdmin):
    """Every picture across releases, and the staff preview of renditions."""

    form = ReleaseImageForm
    list_display = ["thumbnail", "caption", "credit", "release_link", "is_lead"]
    search_fields = ["caption", "credit", "alt_text", "release__title"]
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
class ReleaseAttachmentAdmin(TechnicalTable, FileListAdmin):
    """Every document across releases, and the staff download of any of them."""

    list_display = ["title", "release_link", "file_size", "download"]
    search_fields = ["title", "release__title"]

    @admin.display(description="Download")
    def download(self, obj: ReleaseAttachment) -> SafeString:
        url = reverse("admin:releases_releaseattachment_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.kind_label or "file")

    def get_urls(self) -> list[URLPattern]:
        download = path(
            "<int:object_id>/download/",
            self.admin_site.admin_view(self.download_view),
            name="releases_releaseattachment_download",
        )
        return [download, *super().get_urls()]

    def download_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """A document of any release, published or not, for staff only; never cached."""
        document = get_object_or_404(
            ReleaseAttachment.objects.select_related("release"), pk=object_id
        )
        if not self.has_view_permission(request, document):
            raise PermissionDenied
        response = document_response(document)
        response["X-Content-Type-Options"] = "nosniff"
        add_never_cache_headers(response)
        response["Cache-Control"] += ", private"
        return response

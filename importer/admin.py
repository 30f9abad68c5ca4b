"""Admin for import records, and the "Import releases" view.

The view runs the same code as ``manage.py import_releases``
(``importer.writer.import_bytes``): upload → a dry run whose report
is shown next to the source text, with the fields staff most often correct
(title, dateline, summary) editable → confirm, which imports for real.
"""

from __future__ import annotations

import base64

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from contacts.models import Organisation
from importer.errors import ImportFileError
from importer.models import ImportRecord
from importer.report import render_report
from importer.writer import EDITABLE_FIELDS, import_bytes

# The salt the signed upload was first made with; kept so that an upload
# previewed just before an upgrade can still be confirmed.
_SALT = "releases.admin_import"


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    """The record of every import, read-only, and the home of "Import releases"."""

    change_list_template = "admin/importer/importrecord/change_list.html"
    list_display = ("filename", "imported_at", "imported_by", "result")
    search_fields = ("filename", "sha256")
    readonly_fields = [
        "sha256", "filename", "encoding", "imported_by", "imported_at", "result",
        "report", "review_notes", "bulletin", "releases",
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="importer_importrecord_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        return import_releases_view(self, request)


# ---------------------------------------------------------------------------
# The import view


class ImportUploadForm(forms.Form):
    file = forms.FileField(help_text="A media update or release: .txt, .md or .docx.")
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(),
        required=False,
        help_text="Optional: the issuing organisation, put first on every release.",
    )


class ReleaseCorrectionForm(forms.Form):
    title = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"size": 80}))
    dateline_place = forms.CharField(max_length=120, required=False, label="Dateline place")
    # A browser's date input takes and sends ISO dates only, whatever the
    # locale shows; the widget must write its value as ISO too, or the
    # browser shows the field empty and the date is lost on confirm.
    dateline_date = forms.DateField(
        required=False,
        label="Dateline date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


ReleaseCorrectionFormSet = forms.formset_factory(ReleaseCorrectionForm, extra=0)


def _payload(data: bytes, name: str, organisation: Organisation | None) -> str:
    """The upload carried to the confirm step, signed so it cannot be swapped."""
    return signing.dumps(
        {
            "name": name,
            "data": base64.b64encode(data).decode("ascii"),
            "org": organisation.pk if organisation else None,
        },
        salt=_SALT,
        compress=True,
    )


def import_releases_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("releases.add_pressrelease"):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import releases",
    }
    if request.method == "POST" and "payload" in request.POST:
        return _confirm(request, context)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        organisation = form.cleaned_data["organisation"]
        try:
            outcome = import_bytes(
                data, upload.name, user=request.user, organisation=organisation, dry_run=True
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            formset = ReleaseCorrectionFormSet(
                initial=[
                    {name: getattr(r, name) for name in EDITABLE_FIELDS}
                    for r in outcome.document.releases
                ]
            )
            return _preview(
                request, context, outcome, formset, _payload(data, upload.name, organisation)
            )
    return TemplateResponse(request, "admin/importer/import_upload.html", {**context, "form": form})


def _preview(request, context, outcome, formset, payload) -> TemplateResponse:
    rows = list(zip(outcome.releases, formset.forms, strict=False))
    return TemplateResponse(
        request,
        "admin/importer/import_preview.html",
        {
            **context,
            "outcome": outcome,
            "report": render_report(outcome),
            "formset": formset,
            "rows": rows,
            "payload": payload,
        },
    )


def _confirm(request: HttpRequest, context: dict) -> HttpResponse:
    upload_url = reverse("admin:importer_importrecord_import")
    try:
        payload = signing.loads(request.POST["payload"], salt=_SALT, max_age=60 * 60 * 6)
        data = base64.b64decode(payload["data"])
    except (signing.BadSignature, KeyError, ValueError):
        messages.error(request, "The upload expired or was damaged; please upload the file again.")
        return HttpResponseRedirect(upload_url)
    organisation = Organisation.objects.filter(pk=payload.get("org")).first()
    formset = ReleaseCorrectionFormSet(request.POST)
    if not formset.is_valid():
        try:
            outcome = import_bytes(
                data, payload["name"], user=request.user, organisation=organisation, dry_run=True
            )
        except ImportFileError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(upload_url)
        return _preview(request, context, outcome, formset, request.POST["payload"])
    overrides = {i: form.cleaned_data for i, form in enumerate(formset.forms)}
    try:
        outcome = import_bytes(
            data,
            payload["name"],
            user=request.user,
            organisation=organisation,
            overrides=overrides,
        )
    except ImportFileError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(upload_url)
    messages.success(request, outcome.summary)
    if outcome.record is not None:
        return HttpResponseRedirect(
            reverse("admin:importer_importrecord_change", args=[outcome.record.pk])
        )
    return HttpResponseRedirect(upload_url)

"""Admin for import records, and the "Import releases" view.

The view runs the same code as ``manage.py import_releases``
(``importer.writer.import_bytes``): upload → a dry run whose report
is shown next to the source text, with the fields staff most often correct
(title, dateline, summary) editable → confirm, which imports for real.
"""

from __future__ import annotations

import base64
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy
from taggit.utils import parse_tags

from contacts.models import Organisation, Partnership
from core.i18n import language_choices
from importer.errors import ImportFileError
from importer.models import ImportRecord
from importer.outcome import ReleaseOutcome
from importer.parser import ParsedContact, ParsedDocument, ParsedOrganisation, ParsedRelease
from importer.report import render_report
from importer.text import sentence_case
from importer.writer import (
    CONTACT_FIELDS,
    EDITABLE_FIELDS,
    body_text,
    headline_keep,
    import_bytes,
    prepare,
)

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

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        # Whoever may import (a Writer, an Editor) is sent to the record of
        # their import after confirming and must be able to read it; the
        # roles give "add release", not "view import record".
        return super().has_view_permission(request, obj) or request.user.has_perm(
            "releases.add_pressrelease"
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) or request.user.has_perm(
            "releases.add_pressrelease"
        )

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
    language = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Language"),
        help_text=gettext_lazy(
            "The language the releases are written in. By default it is read from the text "
            "(Urdu script: Urdu)."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", gettext("Detect from the text")),
            *language_choices(),
        ]


class ReleaseCorrectionForm(forms.Form):
    """Every field the parser read from one release, for the person to correct.

    Built for one parsed release (``parsed``) of one file (``document``): the
    issuers are chosen among the file's organisations and each parsed contact
    gets its own fields.  ``result`` (the dry run's, in the preview) adds the
    duplicate warning's choice and the suggested tags and partnerships.
    """

    title = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"size": 80}))
    headline_case = forms.ChoiceField(
        required=False, label="Headline style", widget=forms.RadioSelect, choices=()
    )
    dateline_place = forms.CharField(max_length=120, required=False, label="Dateline place")
    # ISO in a text input: one format in every browser (a browser's own
    # date input shows the browser's locale, 05/12/2024 for 12 May in one
    # and 12/05/2024 in another), the same as the admin's date fields.
    dateline_date = forms.DateField(
        required=False,
        label="Dateline date",
        widget=forms.DateInput(
            attrs={
                "pattern": r"\d{4}-\d{2}-\d{2}",
                "placeholder": "2023-10-18",
                "inputmode": "numeric",
                "size": 10,
            },
            format="%Y-%m-%d",
        ),
        input_formats=["%Y-%m-%d"],
        help_text="Year-month-day, e.g. 2023-10-18.",
    )
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    body_text = forms.CharField(
        required=False,
        label="Body",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Paragraphs separated by a blank line. Notes to editors and lines the "
        "importer did not recognise are added after it, as listed below.",
    )
    organisation_keys = forms.MultipleChoiceField(
        required=False, label="Issued by", widget=forms.CheckboxSelectMultiple, choices=()
    )
    suggested_tags = forms.MultipleChoiceField(
        required=False,
        label="Suggested tags",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "import-chip"}),
        choices=(),
    )
    tags = forms.CharField(
        required=False,
        label="Other tags",
        help_text="Comma-separated, as in the release form.",
    )
    partnerships = forms.ModelMultipleChoiceField(
        Partnership.objects.all(),
        required=False,
        label="Suggested partnerships",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "import-chip"}),
    )
    on_duplicate = forms.ChoiceField(
        required=False,
        label="What should happen to it?",
        widget=forms.RadioSelect,
        choices=[
            ("skip", "Skip it (keep the existing release)"),
            ("import", "Import it anyway, as a new draft"),
        ],
        initial="skip",
    )

    def __init__(
        self,
        *args: Any,
        document: ParsedDocument,
        parsed: ParsedRelease,
        result: ReleaseOutcome | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")  # labels are headings above the fields
        super().__init__(*args, **kwargs)
        self.parsed = parsed
        self.result = result
        sentence = sentence_case(parsed.title, headline_keep(document, parsed))
        if sentence != parsed.title:
            self.fields["headline_case"].choices = [
                ("as_written", "As written"),
                ("sentence", f"Sentence case: {sentence}"),
            ]
            self.fields["headline_case"].initial = "as_written"
        else:
            del self.fields["headline_case"]
        keys = list(dict.fromkeys([*parsed.organisation_keys, *document.organisations]))
        self.fields["organisation_keys"].choices = [
            (key, _org_label(document.organisations[key]))
            for key in keys
            if key in document.organisations
        ]
        self.fields["organisation_keys"].initial = list(parsed.organisation_keys)
        for n, contact in enumerate(parsed.contacts):
            self.fields[f"contact_{n}_keep"] = forms.BooleanField(
                required=False, initial=True, label="Add this contact to the release"
            )
            for name, label in CONTACT_LABELS:
                self.fields[f"contact_{n}_{name}"] = forms.CharField(
                    required=False, max_length=200, label=label, initial=getattr(contact, name)
                )
        if result is not None:
            self.fields["suggested_tags"].choices = [(t, t) for t in result.suggested_tags]
            self.fields["partnerships"].queryset = Partnership.objects.filter(
                pk__in=[p.pk for p in result.suggested_partnerships]
            )
            if not result.duplicates:
                del self.fields["on_duplicate"]
        else:
            # Confirming: any tag name is a valid tag, and the choices offered
            # in the preview are not known here.
            self.fields["suggested_tags"].valid_value = lambda value: True  # type: ignore[method-assign]

    def contact_rows(self) -> list[tuple[ParsedContact, list[forms.BoundField]]]:
        """Each parsed contact with its fields, for the template."""
        return [
            (
                contact,
                [self[f"contact_{n}_keep"]]
                + [self[f"contact_{n}_{name}"] for name, _ in CONTACT_LABELS],
            )
            for n, contact in enumerate(self.parsed.contacts)
        ]

    def overrides(self) -> dict[str, Any]:
        """The corrections, as ``importer.writer.apply_overrides`` reads them."""
        data = self.cleaned_data
        values: dict[str, Any] = {name: data.get(name) for name in EDITABLE_FIELDS}
        values["headline_case"] = data.get("headline_case") or "as_written"
        # Only a form that carried the body may change it (never empty it by omission).
        if self.add_prefix("body_text") in self.data:
            values["body_text"] = data.get("body_text", "")
        values["organisation_keys"] = data.get("organisation_keys", [])
        values["contacts"] = [
            {
                "keep": data.get(f"contact_{n}_keep", False),
                **{name: data.get(f"contact_{n}_{name}", "") for name, _ in CONTACT_LABELS},
            }
            for n in range(len(self.parsed.contacts))
        ]
        tags = [*data.get("suggested_tags", []), *parse_tags(data.get("tags", ""))]
        values["tags"] = list(dict.fromkeys(t[:100] for t in tags if t.strip()))
        values["partnerships"] = list(data.get("partnerships") or [])
        return values

    @property
    def import_anyway(self) -> bool:
        return self.cleaned_data.get("on_duplicate") == "import"


#: The contact details the preview offers, with their labels.
CONTACT_LABELS = [(name, name.replace("_", " ").capitalize()) for name in CONTACT_FIELDS]


def _org_label(org: ParsedOrganisation) -> str:
    return f"{org.name} ({org.acronym})" if org.acronym and org.acronym != org.name else org.name


class _CorrectionFormSet(forms.BaseFormSet):
    """One correction form per parsed release of ``document``."""

    def __init__(
        self,
        *args: Any,
        document: ParsedDocument,
        results: list[ReleaseOutcome] | None = None,
        **kwargs: Any,
    ) -> None:
        self.document = document
        self.results = results
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        releases = self.document.releases
        parsed = releases[index] if index is not None and index < len(releases) else None
        result = None
        if self.results is not None and index is not None and index < len(self.results):
            result = self.results[index]
        return {"document": self.document, "parsed": parsed or ParsedRelease(), "result": result}

    def clean(self) -> None:
        if self.total_form_count() != len(self.document.releases):
            raise forms.ValidationError(
                "The form does not match the file any more; please upload it again."
            )


ReleaseCorrectionFormSet = forms.formset_factory(
    ReleaseCorrectionForm, formset=_CorrectionFormSet, extra=0
)


def _initial(parsed: ParsedRelease) -> dict[str, Any]:
    return {
        **{name: getattr(parsed, name) for name in EDITABLE_FIELDS},
        "body_text": body_text(parsed),
    }


def _payload(data: bytes, name: str, organisation: Organisation | None, language: str = "") -> str:
    """The upload carried to the confirm step, signed so it cannot be swapped."""
    return signing.dumps(
        {
            "name": name,
            "data": base64.b64encode(data).decode("ascii"),
            "org": organisation.pk if organisation else None,
            "language": language,
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
        language = form.cleaned_data["language"]
        try:
            outcome = import_bytes(
                data,
                upload.name,
                user=request.user,
                organisation=organisation,
                dry_run=True,
                language=language or None,
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            formset = ReleaseCorrectionFormSet(
                initial=[_initial(r) for r in outcome.document.releases],
                document=outcome.document,
                results=outcome.releases,
            )
            return _preview(
                request,
                context,
                outcome,
                formset,
                _payload(data, upload.name, organisation, language),
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
    language = payload.get("language") or None
    try:
        document, _, _ = prepare(data, payload["name"])
    except ImportFileError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(upload_url)
    formset = ReleaseCorrectionFormSet(request.POST, document=document)
    if not formset.is_valid():
        try:
            outcome = import_bytes(
                data,
                payload["name"],
                user=request.user,
                organisation=organisation,
                dry_run=True,
                language=language,
            )
        except ImportFileError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(upload_url)
        formset = ReleaseCorrectionFormSet(
            request.POST, document=outcome.document, results=outcome.releases
        )
        formset.is_valid()
        return _preview(request, context, outcome, formset, request.POST["payload"])
    overrides = {i: form.overrides() for i, form in enumerate(formset.forms)}
    force = {i for i, form in enumerate(formset.forms) if form.import_anyway}
    try:
        outcome = import_bytes(
            data,
            payload["name"],
            user=request.user,
            organisation=organisation,
            overrides=overrides,
            force=force,
            language=language,
        )
    except ImportFileError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(upload_url)
    if outcome.nothing_written:
        messages.warning(request, outcome.summary)
    else:
        messages.success(request, outcome.summary)
    if outcome.record is not None:
        return HttpResponseRedirect(
            reverse("admin:importer_importrecord_change", args=[outcome.record.pk])
        )
    return HttpResponseRedirect(upload_url)

"""The admin's forms for media lists: a person (with the duplicate check),
the import's upload and column mapping, the send, the merge."""

from __future__ import annotations

from django import forms

from medialists import importing, people
from medialists.models import Consent, MediaList, MediaPerson


class MediaPersonForm(forms.ModelForm):
    """Refuses a second record for one e-mail; asks before adding a similar
    name at the same outlet (one person, one record)."""

    save_anyway = forms.BooleanField(
        required=False,
        label="This is a different person",
        help_text="Tick to save although a similar name works at the same outlet.",
    )

    class Meta:
        model = MediaPerson
        fields = [
            "name",
            "outlet",
            "role",
            "beats",
            "countries",
            "languages",
            "email",
            "other_emails",
            "phones",
            "notes",
            "consent_basis",
            "consent_recorded_at",
            "consent_source",
            "do_not_contact",
        ]

    def clean(self) -> dict:
        data = super().clean()
        email = (data.get("email") or "").strip().lower()
        pk = self.instance.pk
        if email and people.same_email(email, exclude_pk=pk).exists():
            other = people.same_email(email, exclude_pk=pk).first()
            self.add_error(
                "email", f"{other.name} already has this e-mail: one person, one record."
            )
        name, outlet = data.get("name"), data.get("outlet")
        if name and outlet and not data.get("save_anyway"):
            lookalikes = people.similar_at_outlet(name, outlet, exclude_pk=pk)
            if lookalikes:
                names = ", ".join(p.name for p in lookalikes)
                self.add_error(
                    "name",
                    f"Possible duplicate: {names} at {outlet}. Merge the records instead, "
                    "or tick “This is a different person”.",
                )
        return data


class UploadForm(forms.Form):
    file = forms.FileField(help_text="A CSV file (UTF-8, first line naming the columns) or vCards.")
    kind = forms.ChoiceField(
        choices=[("csv", "CSV"), ("vcard", "vCard (.vcf)")], initial="csv", label="File type"
    )
    consent_basis = forms.ChoiceField(
        choices=Consent.choices,
        initial=Consent.PROFESSIONAL,
        label="Why we may write to these people",
        help_text="Recorded on every person created, with the date, the file and your name.",
    )


class MappingForm(forms.Form):
    """One choice per field: which column of the file holds it."""

    def __init__(self, *args, header: list[str], initial_mapping: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— not in the file —")] + [
            (str(i), name or f"column {i + 1}") for i, name in enumerate(header)
        ]
        for name in importing.FIELDS:
            self.fields[name] = forms.ChoiceField(
                choices=choices,
                required=name in importing.REQUIRED,
                initial=str(initial_mapping[name]) if name in initial_mapping else "",
                label=name.replace("_", " ").capitalize(),
            )

    def mapping(self) -> dict[str, int]:
        return {k: int(v) for k, v in self.cleaned_data.items() if v not in ("", None)}


class SendForm(forms.Form):
    lists = forms.ModelMultipleChoiceField(
        queryset=MediaList.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label="Personal note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        help_text="Put above the release in the e-mail.",
    )

"""The release form: content only, plus the lock version and the change-note question.

``status`` and ``publish_at`` are not fields here at all: a state changes
only through a workflow button.  The form refuses a save made from a stale
copy (someone else saved in between) and shows both versions side by side.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from taggit.forms import TagField

from core.dates import newsroom_tz
from releases import workflow
from releases.models import PressRelease

#: Fields compared side by side when two people saved the same release.
CONFLICT_FIELDS = ("title", "slug", *(f for f in PressRelease.CONTENT_FIELDS if f != "title"))


class TopicsWidget(forms.TextInput):
    """Topics as a person writes them: ``Floods, Health care`` — no quotes.

    django-taggit's own widget quotes every name with a space in it
    (``"Health care", Floods``), which reads as a code string.
    """

    def format_value(self, value: Any) -> str | None:
        if value is not None and not isinstance(value, str):
            value = ", ".join(sorted((getattr(t, "name", t) for t in value), key=str.casefold))
        return super().format_value(value)


class TopicsField(TagField):
    """Topics separated by commas (only): "Health care" is one topic, not two.

    Quotes left over from the old widget are dropped; the same topic typed
    twice (in any case) counts once.
    """

    widget = TopicsWidget

    def clean(self, value: Any) -> list[str]:
        text = forms.CharField.clean(self, value) or ""
        names: dict[str, str] = {}
        for part in text.split(","):
            name = part.strip().strip('"').strip()
            if name:
                names.setdefault(name.casefold(), name)
        return list(names.values())


class PressReleaseForm(forms.ModelForm):
    tags = TopicsField(
        label="Topics",
        required=False,
        help_text="Separate topics with commas, e.g. “Floods, Health care”.",
        widget=TopicsWidget(attrs={"class": "vLargeTextField wf-topics"}),
    )
    lock_version_token = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_kind = forms.ChoiceField(
        label="Is this a major change?",
        choices=[
            ("minor", "No — a minor fix (typo, formatting): nothing is shown to readers"),
            ("major", "Yes — readers need to know: a public change note is added"),
        ],
        widget=forms.RadioSelect,
        required=False,
        initial="minor",
    )
    change_note = forms.CharField(
        label="Change note (public)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Plain words, e.g. “Corrected the number of districts.”",
    )

    translation_up_to_date = forms.BooleanField(
        label="Up to date with its source",
        required=False,
        help_text=(
            "Tick when this translation says what the source now says; "
            "the out-of-date flag goes when you save."
        ),
    )

    #: Set by the admin for the reversion recover view, where the row is being re-created.
    skip_lock_check = False

    class Meta:
        model = PressRelease
        fields = [
            "title",
            "slug",
            "summary",
            "dateline_place",
            "dateline_date",
            "body",
            "tags",
            "partnerships",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conflict: PressRelease | None = None
        if self.instance.pk:
            self.fields["lock_version_token"].initial = self.instance.lock_version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._check_lock()
        major_without_note = (
            cleaned.get("change_kind") == "major" and not (cleaned.get("change_note") or "").strip()
        )
        if major_without_note and self.instance.pk and workflow.needs_change_note(self.instance):
            self.add_error(
                "change_note", "A major change needs a public change note saying what changed."
            )
        return cleaned

    def _check_lock(self) -> None:
        """Refuse a save based on a stale copy (optimistic locking, row held until commit).

        The admin's change view runs in a transaction, so the
        ``select_for_update`` here keeps the row until this save commits.
        """
        if not self.instance.pk or self.skip_lock_check:
            return
        current = (
            PressRelease.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("lock_version", flat=True)
            .first()
        )
        if current is None:
            return
        submitted = self.cleaned_data.get("lock_version_token")
        if submitted == current:
            self.instance.lock_version = current
            return
        self.conflict = PressRelease.objects.get(pk=self.instance.pk)
        who = self.conflict.updated_by
        when = timezone.localtime(self.conflict.modified_at, newsroom_tz())
        # The next save is a deliberate choice, made with both versions in view.
        data = self.data.copy()
        data["lock_version_token"] = str(current)
        self.data = data
        raise forms.ValidationError(
            f"Someone else{f' ({who})' if who else ''} saved this release at "
            f"{when:%H:%M:%S %Z} after you opened it. Nothing was saved. Their version and "
            "yours are shown below; copy what you need, or save again to replace theirs "
            "with yours.",
            code="stale",
        )


def conflict_rows(form: PressReleaseForm, conflict: PressRelease) -> list[dict[str, Any]]:
    """Their saved version and the one typed, field by field, for the conflict panel."""
    rows = []
    for name in CONFLICT_FIELDS:
        theirs = getattr(conflict, name)
        yours = form.data.get(name, "")
        theirs_s = "" if theirs is None else str(theirs)
        rows.append(
            {
                "label": PressRelease._meta.get_field(name).verbose_name.capitalize(),
                "theirs": theirs_s,
                "yours": yours,
                "changed": theirs_s.strip() != str(yours).strip(),
            }
        )
    return rows

"""The sign-up and manage forms: an address, a frequency, a digest hour, a zone."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alerts.models import Frequency, valid_time_zone

HOURS = [(h, f"{h:02d}:00") for h in range(24)]


class AlertSettingsForm(forms.Form):
    frequency = forms.ChoiceField(
        choices=Frequency.choices, initial=Frequency.IMMEDIATE, widget=forms.RadioSelect
    )
    digest_hour = forms.TypedChoiceField(
        choices=HOURS,
        coerce=int,
        initial=8,
        label=_("Hour of the digest"),
        widget=forms.Select(attrs={"class": "search-form__input"}),
    )
    time_zone = forms.CharField(
        max_length=64,
        label=_("Your time zone"),
        help_text=_("For the hour of the digest, e.g. Europe/Zurich."),
    )

    def clean_time_zone(self) -> str:
        value = self.cleaned_data["time_zone"].strip()
        if not valid_time_zone(value):
            raise forms.ValidationError(
                _("Give a time zone such as Asia/Karachi or Europe/Zurich.")
            )
        return value


class SubscribeForm(AlertSettingsForm):
    # EmailField refuses line breaks (no header injection) and overlong input.
    email = forms.EmailField(
        max_length=254,
        label=_("Your e-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["email", "frequency", "digest_hour", "time_zone"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

"""What a journalist tells the newsroom about themselves: at sign-up and on their account page.

The sign-up form is django-allauth's (e-mail, password) with these fields
added (``ACCOUNT_SIGNUP_FORM_CLASS``); :meth:`JournalistSignupForm.signup`
creates the :class:`~journalists.models.Journalist` row, pending, and never
touches the user's staff flags, groups or permissions.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from contacts.phones import display_phone, normalise_phone, parse_phone
from journalists.models import Journalist

PROFILE_FIELDS = [
    "name",
    "outlet",
    "role",
    "beats",
    "countries",
    "languages",
    "phone",
    "published_work_url",
]


def beat_choices():
    """The topics releases are tagged with: a journalist's beats are chosen from them."""
    return Tag.objects.order_by("name")


class ProfileFieldsMixin:
    """Labels, help and the phone's normalisation shared by sign-up and the account page."""

    def _polish(self) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        if "beats" in fields:
            fields["beats"].queryset = beat_choices()
            fields["beats"].widget = forms.CheckboxSelectMultiple(choices=fields["beats"].choices)
            fields["beats"].required = False
            fields["beats"].help_text = "The topics you cover; you hear about releases on them."
        if "phone" in fields:
            fields[
                "phone"
            ].help_text = (
                "With the country code, e.g. +92 51 1234567, so the press office can call you."
            )

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "")  # type: ignore[attr-defined]
        if not value:
            return ""
        try:
            parse_phone(value)
        except ValidationError:
            raise
        return normalise_phone(value)


def published_work_field() -> forms.URLField:
    """The link to published work, as sign-up and the account page both ask it
    (``https://`` assumed when a journalist types a bare address)."""
    return forms.URLField(
        label=_("Link to your published work"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("A page of your articles, programmes or a by-line search."),
    )


class ProfileForm(ProfileFieldsMixin, forms.ModelForm):
    """The journalist's own profile on the account page: everything but the status."""

    published_work_url = published_work_field()

    class Meta:
        model = Journalist
        fields = PROFILE_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._polish()
        if self.instance.phone and not self.is_bound:
            self.initial["phone"] = display_phone(self.instance.phone)


class JournalistSignupForm(ProfileFieldsMixin, forms.ModelForm):
    """The extra fields of allauth's sign-up form (``ACCOUNT_SIGNUP_FORM_CLASS``).

    A ModelForm only to reuse the model's fields and validators; it is never
    saved itself: :meth:`signup` builds the row for the new user.
    """

    published_work_url = published_work_field()

    class Meta:
        model = Journalist
        fields = PROFILE_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._polish()
        self.fields["name"].label = "Your name"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["outlet"].widget.attrs["autocomplete"] = "organization"
        self.fields["role"].widget.attrs["autocomplete"] = "organization-title"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"

    def _post_clean(self) -> None:
        """No model validation here: the row does not exist until :meth:`signup`."""

    def signup(self, request: Any, user: Any) -> None:
        """Create the pending journalist for the new user (allauth calls this)."""
        from journalists import rules

        data = self.cleaned_data
        journalist = Journalist(
            user=user,
            **{f: data.get(f, "") for f in PROFILE_FIELDS if f != "beats"},
        )
        rules.signed_up(journalist, beats=list(data.get("beats") or []))

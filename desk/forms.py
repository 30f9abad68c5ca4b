"""The invite form: name, e-mail and one of the roles the inviter may give."""

from __future__ import annotations

from typing import Any

from django import forms

from desk.invitations import existing_account, is_pending, roles_for


class InviteForm(forms.Form):
    name = forms.CharField(
        max_length=300, help_text="First and last name, as colleagues know them."
    )
    email = forms.EmailField(
        label="E-mail address",
        help_text="The invitation goes here; it is also their username.",
    )
    role = forms.ChoiceField(
        choices=(), help_text="What they will do; an administrator can change it later."
    )

    def __init__(self, *args: Any, inviter: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending: Any = None
        self.fields["role"].choices = [("", "— choose a role —")] + [
            (name, name) for name in roles_for(inviter)
        ]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        taken = existing_account(email)
        if taken is not None and is_pending(taken):
            self.pending = taken  # the page offers to send the invitation again
            raise forms.ValidationError(
                f"{email} was invited already and has not chosen a password yet. "
                "Send them a new link instead."
            )
        if taken is not None:
            raise forms.ValidationError(
                f"{email} already has an account (username “{taken.get_username()}”). "
                "Give that account a role instead of inviting it again."
            )
        return email

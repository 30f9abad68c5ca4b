"""allauth's sign-up form as journalists see it (``ACCOUNT_FORMS["signup"]``).

Apart from ``journalists.forms`` because allauth's forms module imports that
one (``ACCOUNT_SIGNUP_FORM_CLASS``) while it loads.
"""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm


class JournalistAccountSignupForm(SignupForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Work e-mail address"
        email.help_text = (
            "At your outlet, if you have one: it helps the press office check who you are."
        )
        email.widget.attrs.pop("placeholder", None)
        for name in ("password1", "password2"):
            if name in self.fields:
                self.fields[name].widget.attrs.pop("placeholder", None)

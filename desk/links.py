"""The set-password link of an invitation: Django's password-reset token.

The token is bound to the account's password hash and last login, so it
dies as soon as the password is set, and to ``PASSWORD_RESET_TIMEOUT``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from core.urls import absolute_url

token_generator = PasswordResetTokenGenerator()


def link_for(user: Any) -> str:
    """The absolute set-password link for ``user`` (a fresh token each time; all stay valid)."""
    path = reverse(
        "admin:desk_set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": token_generator.make_token(user),
        },
    )
    return absolute_url(path)


def user_from_link(uidb64: str, token: str) -> Any | None:
    """The invited account if the link is valid now, else ``None`` (never an exception)."""
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = get_user_model().objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    if user is None or not user.is_active or not token_generator.check_token(user, token):
        return None
    return user


def valid_days() -> int:
    """How long a link lives, in whole days (for the e-mail's wording)."""
    return max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400))

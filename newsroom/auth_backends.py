"""Login throttling that stays out of the way of request-less logins."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


class ThrottledLoginBackend(AxesStandaloneBackend):
    """django-axes' standalone backend, first in ``AUTHENTICATION_BACKENDS``.

    Axes throttles login attempts that arrive over HTTP: the admin login and
    any login view pass the ``request``.  A call to ``authenticate()`` without
    a request (the test client's ``login()``, a management command) has no
    client to throttle; upstream axes raises there, which would break those
    callers, so this backend simply declines and lets ``ModelBackend`` decide.
    Every HTTP login path in Django passes the request, so nothing an
    attacker can reach skips the throttle.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


#: Length of axes' ``username`` columns.
AXES_USERNAME_MAX_LENGTH = 255


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The username axes records and locks on (``AXES_USERNAME_CALLABLE``).

    Django's login form does not enforce the username's maximum length before
    authenticating, so a 10 000-character "username" reached axes, whose
    column holds 255 characters: PostgreSQL refused the insert and the login
    page answered 500.  Truncating (and dropping NUL characters, which
    PostgreSQL also refuses) keeps the record; real usernames are at most 150
    characters, so no two real accounts share a key.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    if username is None:
        return None
    return str(username).replace("\x00", "")[:AXES_USERNAME_MAX_LENGTH]

"""Login throttling that stays out of the way of request-less logins."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
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

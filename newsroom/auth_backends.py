"""Login throttling: per account and address, per address, and out of the way of
request-less logins."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
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


class AddressThrottlingHandler(AxesDatabaseHandler):
    """django-axes' database handler with a second, higher limit for an address alone.

    ``AXES_LOCKOUT_PARAMETERS`` counts failures per username-and-address
    *and* per address; axes compares both with one ``AXES_FAILURE_LIMIT``,
    which would lock a whole office out after five typos.  Here each count
    has its own limit: ``AXES_FAILURE_LIMIT`` (5) for one account from one
    address, ``AXES_ADDRESS_FAILURE_LIMIT`` (30) for one address across
    accounts.  So a password sprayer (a few guesses at each of many names)
    is stopped at the address, while the people whose names were sprayed
    still sign in from anywhere else: nobody can lock *them* out.

    axes decides "locked" by ``get_failures() >= failure limit``; this
    handler reports each count scaled to that limit, so the address count
    reaches it exactly when it reaches its own limit, and axes' lockout
    page, signals and admin work unchanged.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        limit = get_failure_limit(request, credentials)
        address_limit = max(1, settings.AXES_ADDRESS_FAILURE_LIMIT)
        scaled = []
        request.newsroom_address_locked = False
        parameters = get_lockout_parameters(request, credentials)
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter in ("ip_address", ["ip_address"]):
                # failures * limit // address_limit >= limit  <=>  failures >= address_limit
                scaled.append(failures * limit // address_limit)
                if failures >= address_limit:
                    request.newsroom_address_locked = True
            else:
                scaled.append(failures)
        return max(scaled, default=0)

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """A success resets its own account's count from this address, not the address's.

        Stock axes deletes every attempt matching *any* lockout parameter,
        which would include every failure from the address: one sign-in with
        an attacker's own account (or a colleague's behind the same NAT)
        would wipe the sprayer's record.
        """
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count

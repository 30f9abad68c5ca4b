"""Two-factor authentication (allauth's MFA): a journalist turns on an authenticator
app, and from then on signing in asks for its code.  Its pages are in the site's
layout and private."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.utils import timezone

from tests.journalists.support import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def code_for(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))


def test_totp_is_set_up_and_then_asked_at_sign_in(client, approved):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, approved.email)
        page = client.get("/account/2fa/totp/activate/")
        if page.status_code == 302:  # allauth asks for the password again first
            assert page["Location"].startswith("/account/reauthenticate/")
            client.post(page["Location"], {"password": PASSWORD})
            page = client.get("/account/2fa/totp/activate/")
        assert page.status_code == 200
        assert page["Cache-Control"] == "private, no-store"
        assert b"site-header" in page.content  # the site's layout
        secret = client.session[SECRET_SESSION_KEY]
        wrong = client.post("/account/2fa/totp/activate/", {"code": "000000"})
        assert wrong.status_code == 200
        assert not Authenticator.objects.filter(user=approved.user).exists()
        client.post("/account/2fa/totp/activate/", {"code": code_for(secret)})
        assert Authenticator.objects.filter(user=approved.user, type="totp").exists()
        client.post("/account/logout/")

    with time_machine.travel(start + datetime.timedelta(seconds=90), tick=False):
        response = sign_in(client, approved.email)
        assert response["Location"].startswith("/account/2fa/authenticate/")
        assert client.get("/journalists/account/").status_code == 302  # not signed in yet
        client.post("/account/2fa/authenticate/", {"code": code_for(secret)})
        assert client.get("/journalists/account/").status_code == 200


@pytest.mark.parametrize(
    "path", ["/account/2fa/", "/account/sessions/", "/account/password/change/"]
)
def test_the_security_pages_render_for_a_journalist(client, approved, path):
    sign_in(client, approved.email)
    response = client.get(path)
    assert response.status_code == 200
    assert b"Your journalist account" in response.content

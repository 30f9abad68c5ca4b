"""Helpers of the journalists' tests."""

from __future__ import annotations

import re
from email.message import EmailMessage

from allauth.account.models import EmailAddress
from django.test import Client
from django.utils import timezone

from journalists.models import Journalist, JournalistEvent
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


def make_journalist(email: str, status: str = "approved", **fields) -> Journalist:
    """A journalist whose address is verified (as after following allauth's link)."""
    user = UserFactory(username=email.split("@")[0], email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    journalist = Journalist.objects.create(
        user=user,
        name=fields.pop("name", email.split("@")[0].title() + " Reporter"),
        outlet=fields.pop("outlet", "The Daily Example"),
        role=fields.pop("role", "Correspondent"),
        status=status,
        confirmed_at=fields.pop("confirmed_at", timezone.now() if status == "approved" else None),
        **fields,
    )
    JournalistEvent.objects.create(journalist=journalist, action="signed_up", by=user)
    return journalist


def sign_in(client: Client, email: str, password: str = PASSWORD):
    """Through allauth's real login form (which records the session)."""
    return client.post("/account/login/", {"login": email, "password": password})


def body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content()


def first_link(message: EmailMessage, path: str) -> str:
    match = re.search(r"https?://[^\s\"<>]*" + re.escape(path) + r"[^\s\"<>]*", body(message))
    assert match, f"no link to {path} in:\n{body(message)}"
    return match.group(0)

"""Sign-up: a pending, non-staff journalist; verification by a real e-mail; no enumeration;
throttled; journalists never reach the admin and staff are never journalists."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from taggit.models import Tag

from journalists.access import journalist_of
from journalists.models import Journalist
from tests.journalists.support import PASSWORD, body, first_link, make_journalist, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def signup_data(email: str = "new.reporter@paper.example", **extra) -> dict:
    health = Tag.objects.get_or_create(name="Health", slug="health")[0]
    return {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "name": "Noor Reporter",
        "outlet": "The Example Times",
        "role": "Health correspondent",
        "beats": [health.pk],
        "countries": "Pakistan, Afghanistan",
        "languages": "English, Urdu",
        "phone": "0300 1234567",
        "published_work_url": "https://paper.example/noor",
        **extra,
    }


def test_signup_creates_a_pending_journalist_and_the_emailed_link_verifies(client, smtp):
    response = client.post("/account/signup/", signup_data())
    assert response.status_code == 302, response.content.decode()[:2000]

    journalist = Journalist.objects.get(user__email="new.reporter@paper.example")
    assert journalist.status == Journalist.Status.PENDING
    assert journalist.outlet == "The Example Times"
    assert journalist.phone == "+923001234567"  # normalised by contacts.phones
    assert [t.name for t in journalist.beats.all()] == ["Health"]
    assert journalist.events.filter(action="signed_up").exists()
    user = journalist.user
    assert not user.is_staff and not user.is_superuser
    assert not user.groups.exists() and not user.user_permissions.exists()
    assert not EmailAddress.objects.get(user=user).verified

    (message,) = smtp.to("new.reporter@paper.example")
    link = first_link(message, "/account/confirm-email/")
    path = urlsplit(link).path
    page = client.get(path)
    assert page.status_code == 200
    confirmed = client.post(path)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified


def test_signup_cannot_make_staff_whatever_it_posts(client, smtp):
    group = Group.objects.get_or_create(name="Administrator")[0]
    client.post(
        "/account/signup/",
        signup_data(is_staff="on", is_superuser="on", groups=[group.pk], status="approved"),
    )
    user = get_user_model().objects.get(email="new.reporter@paper.example")
    assert not user.is_staff and not user.is_superuser and not user.groups.exists()
    assert user.journalist.status == "pending"


def test_unverified_journalist_cannot_sign_in(client, smtp):
    client.post("/account/signup/", signup_data())
    client.logout()
    response = sign_in(client, "new.reporter@paper.example")
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_signup_with_a_known_address_answers_as_for_a_new_one(client, smtp):
    make_journalist("known@paper.example")
    known = client.post("/account/signup/", signup_data("known@paper.example"))
    client.logout()
    fresh = client.post("/account/signup/", signup_data("fresh@paper.example"))
    assert known.status_code == fresh.status_code == 302
    assert known["Location"] == fresh["Location"]
    # One account for the known address still; its owner is told by e-mail.
    assert get_user_model().objects.filter(email__iexact="known@paper.example").count() == 1
    assert "already" in body(smtp.to("known@paper.example")[0]).lower()


def test_password_reset_says_the_same_for_an_unknown_address(client, smtp):
    make_journalist("known@paper.example")
    known = client.post("/account/password/reset/", {"email": "known@paper.example"})
    unknown = client.post("/account/password/reset/", {"email": "nobody@paper.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    page_known = client.get(known["Location"]).content
    page_unknown = client.get(unknown["Location"]).content
    assert page_known == page_unknown
    assert len(smtp.to("known@paper.example")) == 1


def test_signup_is_throttled(client, settings, smtp):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "3/m/ip"}
    codes = [
        client.post("/account/signup/", signup_data(f"spam{i}@spam.example")).status_code
        for i in range(4)
    ]
    assert codes[:3] == [302, 302, 302]
    assert codes[3] == 429
    assert get_user_model().objects.filter(email__startswith="spam3").count() == 0


def test_a_journalist_is_refused_by_the_admin(client):
    make_journalist("ana@wire.example")
    assert sign_in(client, "ana@wire.example").status_code == 302
    assert client.get("/journalists/account/").status_code == 200  # signed in
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    # The admin's login form refuses the journalist's correct password too.
    client.logout()
    refused = client.post(
        "/admin/login/", {"username": "ana", "password": PASSWORD, "next": "/admin/"}
    )
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session


def test_staff_have_no_journalist_row_and_cannot_get_one(contacts_manager, client):
    assert journalist_of(contacts_manager) is None
    assert not Journalist.objects.filter(user=contacts_manager).exists()
    with pytest.raises(ValueError):
        Journalist.objects.create(user=contacts_manager, name="X", outlet="Y", role="Z")
    # Staff do not sign in through the journalists' login either.
    EmailAddress.objects.create(
        user=contacts_manager, email=contacts_manager.email, verified=True, primary=True
    )
    response = sign_in(client, contacts_manager.email)
    assert response["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session


def test_signup_form_rejects_a_bad_phone_with_a_message(client, smtp):
    response = client.post("/account/signup/", signup_data(phone="not a phone"))
    assert response.status_code == 200
    assert not Journalist.objects.exists()
    assert b"error-message" in response.content

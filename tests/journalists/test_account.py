"""The journalist's own pages: account, agreement, deletion; private and never cached."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils.html import format_html

from alerts.models import Subscriber, Subscription
from journalists import panels
from journalists.models import AgreementAcceptance, EmbargoAgreement, Journalist
from tests.alerts.support import follow
from tests.journalists.support import make_journalist, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, approved):
    assert sign_in(client, approved.email).status_code == 302
    return client


@pytest.mark.parametrize(
    "path", ["/journalists/account/", "/journalists/agreement/", "/journalists/account/delete/"]
)
def test_journalist_pages_are_private_and_not_indexed(signed_in, path):
    response = signed_in.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]
    assert "ETag" not in response


def test_allauth_pages_are_private_too(client):
    for path in ("/account/login/", "/account/signup/", "/account/password/reset/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "private, no-store"
        assert "noindex" in response["X-Robots-Tag"]


def test_the_account_page_shows_status_agreement_alerts_and_panels(signed_in, approved):
    v1 = EmbargoAgreement.objects.create(version=1, text="Words.")
    AgreementAcceptance.objects.create(journalist=approved, agreement=v1)
    follow(approved.email, {"q": "water"})

    def embargoed_for_you(request, journalist):
        return format_html(
            "<section><h2>Embargoed for you</h2><p>{}</p></section>", journalist.name
        )

    panels.register(embargoed_for_you)
    try:
        page = signed_in.get("/journalists/account/").content.decode()
    finally:
        panels.unregister(embargoed_for_you)
    assert "Status: Approved" in page
    assert "You accepted version 1" in page
    assert "Change or stop your alerts" in page
    assert "Embargoed for you" in page and approved.name in page


def test_a_failing_panel_does_not_take_the_page_down(signed_in):
    def broken(request, journalist):
        raise RuntimeError("boom")

    panels.register(broken)
    try:
        assert signed_in.get("/journalists/account/").status_code == 200
    finally:
        panels.unregister(broken)


def test_the_profile_is_editable_but_not_the_status(signed_in, approved):
    signed_in.post(
        "/journalists/account/",
        {"name": "Ana New", "outlet": "Wire", "role": "Editor", "status": "approved"},
    )
    approved.refresh_from_db()
    assert approved.name == "Ana New"
    pending = make_journalist("pat@paper.example", status="pending")
    signed_in.logout()
    sign_in(signed_in, pending.email)
    signed_in.post(
        "/journalists/account/",
        {"name": "Pat", "outlet": "X", "role": "Y", "status": "approved"},
    )
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_accepting_the_agreement_records_the_version_and_follows_next(signed_in, approved):
    EmbargoAgreement.objects.create(version=1, text="Old words.")
    v2 = EmbargoAgreement.objects.create(version=2, text="Do not publish early.")
    page = signed_in.get("/journalists/agreement/?next=/pressroom/x/")
    assert b"Do not publish early." in page.content
    response = signed_in.post("/journalists/agreement/", {"version": "2", "next": "/pressroom/x/"})
    assert response.status_code == 302 and response["Location"] == "/pressroom/x/"
    (acceptance,) = AgreementAcceptance.objects.filter(journalist=approved)
    assert acceptance.agreement == v2


def test_the_agreement_page_does_not_redirect_elsewhere(signed_in, approved):
    EmbargoAgreement.objects.create(version=1, text="Words.")
    response = signed_in.post(
        "/journalists/agreement/", {"version": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/journalists/account/"


def test_an_outdated_version_is_not_accepted(signed_in, approved):
    EmbargoAgreement.objects.create(version=1, text="Old.")
    EmbargoAgreement.objects.create(version=2, text="New.")
    signed_in.post("/journalists/agreement/", {"version": "1"})
    assert not AgreementAcceptance.objects.exists()


def test_anonymous_visitors_are_sent_to_the_journalists_login(client):
    response = client.get("/journalists/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_staff_are_sent_to_the_admin(client, contacts_manager):
    client.force_login(contacts_manager)
    response = client.get("/journalists/account/")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_delete_my_account_removes_the_user_the_journalist_and_the_alerts(signed_in, approved):
    follow(approved.email, {"q": "water"})
    follow("someone.else@example.org", {"q": "water"})
    user_id = approved.user_id
    page = signed_in.get("/journalists/account/delete/")
    assert b"Yes, delete my account" in page.content
    response = signed_in.post("/journalists/account/delete/", {"confirm": "yes"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=user_id).exists()
    assert not Journalist.objects.filter(pk=approved.pk).exists()
    assert not Subscriber.objects.filter(email__iexact=approved.email).exists()
    assert Subscription.objects.filter(subscriber__email="someone.else@example.org").exists()
    assert signed_in.get("/journalists/account/").status_code == 302  # signed out

"""The staff's side: the dashboard's "Journalists waiting for approval", the admin's
decision pages (reason asked where needed), and agreement versions that cannot be
edited once accepted."""

from __future__ import annotations

import pytest

from journalists.links import rule_url
from journalists.models import AgreementAcceptance, EmbargoAgreement
from tests.journalists.support import body, make_journalist

pytestmark = pytest.mark.django_db


def test_the_contacts_manager_sees_who_waits_with_what_they_submitted(contacts_manager, client):
    make_journalist("jo@paper.example", status="pending", name="Jo Example", outlet="Daily Ex")
    make_journalist("ana@wire.example", status="approved", name="Ana Approved")
    client.force_login(contacts_manager)
    page = client.get("/admin/").content.decode()
    assert "Journalists waiting for approval" in page
    assert "Jo Example" in page and "Daily Ex" in page
    assert "Ana Approved" not in page


def test_a_writer_does_not_see_the_section(writer, client):
    make_journalist("jo@paper.example", status="pending", name="Jo Example")
    client.force_login(writer)
    page = client.get("/admin/").content.decode()
    assert "Journalists waiting for approval" not in page
    assert "Jo Example" not in page


@pytest.mark.django_db(transaction=True)
def test_reject_from_the_admin_asks_for_the_reason_then_applies(contacts_manager, client, smtp):
    journalist = make_journalist("jo@paper.example", status="pending")
    client.force_login(contacts_manager)
    url = rule_url(journalist.pk, "reject")
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="reason"' in page.content and b"required" in page.content

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert b"Please give a reason" in refused.content
    journalist.refresh_from_db()
    assert journalist.status == "pending"

    done = client.post(url, {"reason": "No trace of the outlet."})
    assert done.status_code == 302
    journalist.refresh_from_db()
    assert journalist.status == "rejected"
    assert "No trace of the outlet." in body(smtp.to("jo@paper.example")[0])
    history = client.get(done["Location"]).content.decode()
    assert "No trace of the outlet." in history


def test_the_decision_pages_are_refused_without_the_permission(writer, client):
    journalist = make_journalist("jo@paper.example", status="pending")
    client.force_login(writer)
    assert client.post(rule_url(journalist.pk, "approve")).status_code in (403, 404)
    journalist.refresh_from_db()
    assert journalist.status == "pending"


def test_the_change_page_offers_the_rules_for_the_status(contacts_manager, client):
    journalist = make_journalist("ana@wire.example", status="approved")
    client.force_login(contacts_manager)
    page = client.get(f"/admin/journalists/journalist/{journalist.pk}/change/").content.decode()
    assert rule_url(journalist.pk, "suspend") in page
    assert rule_url(journalist.pk, "revoke") in page
    assert rule_url(journalist.pk, "approve") not in page


def test_an_accepted_agreement_version_cannot_be_edited(contacts_manager, client):
    v1 = EmbargoAgreement.objects.create(version=1, text="Original words.")
    client.force_login(contacts_manager)
    url = f"/admin/journalists/embargoagreement/{v1.pk}/change/"
    client.post(url, {"version": 1, "text": "Edited before anyone agreed."})
    journalist = make_journalist("ana@wire.example")
    AgreementAcceptance.objects.create(journalist=journalist, agreement=v1)
    client.post(url, {"version": 1, "text": "Sneaky edit."})
    v1.refresh_from_db()
    assert v1.text != "Sneaky edit."
    add = client.get("/admin/journalists/embargoagreement/add/").content.decode()
    assert 'value="2"' in add  # a change is a new version


def test_an_unverified_sign_up_does_not_reach_the_dashboard(contacts_manager, client):
    from allauth.account.models import EmailAddress

    make_journalist("spam@spam.example", status="pending", name="Unverified Spam")
    EmailAddress.objects.filter(email="spam@spam.example").update(verified=False)
    client.force_login(contacts_manager)
    assert "Unverified Spam" not in client.get("/admin/").content.decode()


def test_the_list_filters_by_status_and_says_whether_the_address_is_verified(
    contacts_manager, client
):
    make_journalist("jo@paper.example", status="pending", name="Jo Pending")
    make_journalist("ana@wire.example", status="approved", name="Ana Approved")
    client.force_login(contacts_manager)
    page = client.get("/admin/journalists/journalist/?status__exact=pending").content.decode()
    assert "Jo Pending" in page and "Ana Approved" not in page
    assert "Address verified" in page

"""The vetting rules (journalists.rules): each by a permitted user works, is refused
without the permission, writes its event, e-mails the journalist (real SMTP server),
and suspension ends the journalist's open sessions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from journalists import rules
from journalists.access import trusted_journalist
from journalists.models import EmbargoAgreement, Journalist
from tests.journalists.support import body, make_journalist, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

#: rule -> (starting status, reason, status after, words of the e-mail or None)
CASES = {
    "approve": ("pending", "", "approved", "is approved"),
    "reject": ("pending", "We could not confirm the outlet.", "rejected", "could not confirm"),
    "more_info": ("pending", "Please send a link to two articles.", "more_info", "two articles"),
    "suspend": ("approved", "Published before the embargo.", "suspended", "before the embargo"),
    "revoke": ("approved", "Repeated breaches.", "revoked", "Repeated breaches"),
    "reinstate": ("suspended", "", "approved", "active again"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_rule_by_a_contacts_manager_works_records_and_emails(name, contacts_manager, smtp):
    start, reason, after, words = CASES[name]
    journalist = make_journalist("jo@paper.example", status=start)
    event = rules.apply(name, journalist, contacts_manager, reason)

    journalist.refresh_from_db()
    assert journalist.status == after
    assert event.by == contacts_manager and event.reason == reason
    assert (event.status_before, event.status_after) == (start, after)
    assert journalist.events.filter(action=event.action).count() == 1
    if after == "approved":
        assert journalist.confirmed_at is not None
    (message,) = smtp.to("jo@paper.example")
    assert words in body(message)


@pytest.mark.parametrize("name", list(CASES))
def test_each_rule_is_refused_without_the_permission(name, writer, smtp):
    start, reason, _after, _words = CASES[name]
    journalist = make_journalist("jo@paper.example", status=start)
    with pytest.raises(PermissionDenied):
        rules.apply(name, journalist, writer, reason or "because")
    journalist.refresh_from_db()
    assert journalist.status == start
    assert not journalist.events.exclude(action="signed_up").exists()
    assert smtp.messages == []


@pytest.mark.parametrize("name", ["reject", "more_info", "suspend", "revoke"])
def test_a_reason_is_required(name, contacts_manager):
    start = CASES[name][0]
    journalist = make_journalist("jo@paper.example", status=start)
    with pytest.raises(rules.RuleError, match="reason"):
        rules.apply(name, journalist, contacts_manager, "   ")
    journalist.refresh_from_db()
    assert journalist.status == start


def test_a_rule_from_the_wrong_status_is_refused(contacts_manager):
    journalist = make_journalist("jo@paper.example", status="rejected")
    with pytest.raises(rules.RuleError, match="not possible"):
        rules.approve(journalist, contacts_manager)
    with pytest.raises(rules.RuleError):
        rules.suspend(journalist, contacts_manager, "x")


def test_a_journalist_cannot_vet_anyone_not_even_themselves(approved):
    other = make_journalist("pat@paper.example", status="pending")
    with pytest.raises(PermissionDenied):
        rules.approve(other, approved.user)
    with pytest.raises(PermissionDenied):
        rules.reinstate(approved, approved.user)


def test_suspension_ends_the_open_session_at_once(contacts_manager, client, smtp):
    journalist = make_journalist("ana@wire.example", status="approved")
    EmbargoAgreement.objects.create(version=1, text="Respect the embargo.")
    assert sign_in(client, "ana@wire.example").status_code == 302
    assert client.get("/journalists/account/").status_code == 200
    client.post("/journalists/agreement/", {"version": "1"})
    assert trusted_journalist(journalist.user) is not None

    rules.suspend(journalist, contacts_manager, "Published before the embargo.")

    response = client.get("/journalists/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
    journalist.refresh_from_db()
    assert trusted_journalist(journalist.user) is None


def test_revocation_ends_sessions_too(contacts_manager, client):
    make_journalist("ana@wire.example", status="approved")
    sign_in(client, "ana@wire.example")
    rules.revoke(Journalist.objects.get(), contacts_manager, "Repeated breaches.")
    assert client.get("/journalists/account/").status_code == 302


def test_resubmitting_the_profile_after_a_question_puts_it_back_in_the_queue(
    contacts_manager, client
):
    journalist = make_journalist("jo@paper.example", status="pending")
    rules.ask_for_more(journalist, contacts_manager, "Which outlet exactly?")
    sign_in(client, "jo@paper.example")
    response = client.post(
        "/journalists/account/",
        {"name": "Jo", "outlet": "The Example Post", "role": "Reporter"},
    )
    assert response.status_code == 302
    journalist.refresh_from_db()
    assert journalist.outlet == "The Example Post"
    assert journalist.status == "pending"
    assert journalist.events.filter(action="resubmitted", by=journalist.user).exists()


def test_a_journalist_made_staff_by_mistake_gets_no_decision_nor_access(contacts_manager):
    journalist = make_journalist("jo@paper.example", status="pending")
    type(journalist.user).objects.filter(pk=journalist.user_id).update(is_staff=True)
    journalist.refresh_from_db()
    with pytest.raises(rules.RuleError, match="staff"):
        rules.approve(journalist, contacts_manager)
    assert trusted_journalist(journalist.user) is None

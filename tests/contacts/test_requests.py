"""Item 7: who adds a missing contact from the release form (the "+"
pop-up), who requests one instead, and how a contacts manager turns a
request into a contact."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from contacts import requests as contact_requests
from contacts.models import ContactRequest, MediaContact
from tests.factories import MediaContactFactory, OrganisationFactory, PressReleaseFactory

pytestmark = pytest.mark.django_db

ADD_CONTACT = reverse("admin:contacts_mediacontact_add")
ADD_ORGANISATION = reverse("admin:contacts_organisation_add")
ADD_REQUEST = reverse("admin:contacts_contactrequest_add")
REQUESTS = reverse("admin:contacts_contactrequest_changelist")
NEW_RELEASE = reverse("admin:releases_pressrelease_add")


def release_url(release) -> str:
    return reverse("admin:releases_pressrelease_change", args=[release.pk])


def popup_add_link(url: str) -> str:
    """How Django's related-widget wrapper links the "+" (a pop-up add form)."""
    return f'href="{url}?_to_field=id&amp;_popup=1"'


# -- who may add, who requests --------------------------------------------------
def test_roles_that_draft_may_add_contacts_but_not_change_or_delete(
    writer, editor, publisher, contacts_manager
) -> None:
    for user in (writer, editor):
        assert user.has_perms(["contacts.add_mediacontact", "contacts.add_organisation"])
        assert not user.has_perm("contacts.change_mediacontact")
        assert not user.has_perm("contacts.delete_mediacontact")
        assert not user.has_perm("contacts.delete_organisation")
    assert not publisher.has_perm("contacts.add_mediacontact")
    assert publisher.has_perm("contacts.add_contactrequest")
    assert not publisher.has_perm("contacts.view_contactrequest")
    assert contacts_manager.has_perms(
        ["contacts.change_contactrequest", "contacts.view_contactrequest"]
    )


def test_writer_sees_the_plus_for_contacts_and_organisations(client, writer) -> None:
    client.force_login(writer)
    html = client.get(NEW_RELEASE).text
    assert popup_add_link(ADD_CONTACT) in html
    assert popup_add_link(ADD_ORGANISATION) in html
    assert "Use the <strong>+</strong> next to a contact" in html
    assert "Request a new contact" not in html


def test_writer_adds_a_contact_in_the_popup(client, writer) -> None:
    org = OrganisationFactory(name="IOM Pakistan")
    client.force_login(writer)
    response = client.post(
        f"{ADD_CONTACT}?_to_field=id&_popup=1",
        {
            "_to_field": "id",
            "_popup": "1",
            "honorific": "",
            "name": "Ramsha Nadeem",
            "job_title": "",
            "organisation": org.pk,
            "email": "rnadeem@iom.int",
            "phone": "0334 4563210",
            "is_public": "on",
            "is_active": "on",
            "staff_notes": "",
        },
    )
    assert response.status_code == 200
    contact = MediaContact.objects.get(email="rnadeem@iom.int")
    # The pop-up answers with the new contact for the release form's field.
    assert "django-admin-popup-response-constants" in response.text
    assert f"&quot;value&quot;: &quot;{contact.pk}&quot;" in response.text
    # Adding is not changing: the writer cannot edit it afterwards.
    change = reverse("admin:contacts_mediacontact_change", args=[contact.pk])
    assert client.post(change, {"name": "x"}).status_code == 403


def test_publisher_sees_request_link_instead_of_the_plus(client, publisher) -> None:
    release = PressReleaseFactory()  # published: a publisher corrects it
    client.force_login(publisher)
    html = client.get(release_url(release)).text
    assert popup_add_link(ADD_CONTACT) not in html
    assert "Request a new contact" in html
    link = f'href="{ADD_REQUEST}?release_reference={release_url(release)}" target="_blank"'
    assert link in html


def test_a_request_is_recorded_and_the_requester_told_what_happens(client, publisher) -> None:
    release = PressReleaseFactory()
    client.force_login(publisher)
    form = client.get(f"{ADD_REQUEST}?release_reference={release_url(release)}")
    assert form.status_code == 200
    assert form.context["adminform"].form.initial["release_reference"] == release_url(release)
    assert "<h1>Request a new contact</h1>" in form.text
    assert "Save and continue editing" not in form.text
    response = client.post(
        ADD_REQUEST,
        {
            "name": "Zunaira Inam",
            "organisation_name": "NCHR",
            "email": "zunaira@nchr.gov.pk",
            "phone": "0300 1234567",
            "note": "Spokesperson; public.",
            "release_reference": release_url(release),
        },
    )
    assert response.status_code == 200
    assert "was sent to the contacts managers" in response.text
    assert f'href="{release_url(release)}"' in response.text
    request = ContactRequest.objects.get()
    assert request.requested_by == publisher
    assert request.status == ContactRequest.Status.OPEN
    # The requester cannot see or handle the list of requests.
    assert client.get(REQUESTS).status_code == 403


def test_a_foreign_address_is_never_made_a_link() -> None:
    request = ContactRequest.objects.create(name="X", release_reference="//evil.example/x")
    assert contact_requests.release_link(request) == ""
    request.release_reference = "https://evil.example/x"
    assert contact_requests.release_link(request) == ""
    request.release_reference = "/admin/releases/pressrelease/3/change/"
    assert contact_requests.release_link(request) == "/admin/releases/pressrelease/3/change/"


# -- what a dashboard shows --------------------------------------------------------
def test_open_requests_for_the_dashboard(
    publisher, writer, contacts_manager, django_assert_max_num_queries
) -> None:
    older = contact_requests.create_request(publisher, name="Older")
    newer = contact_requests.create_request(publisher, name="Newer")
    done = contact_requests.create_request(publisher, name="Done")
    contact_requests.decline(done, contacts_manager)
    with django_assert_max_num_queries(3):
        shown = list(contact_requests.open_requests(contacts_manager))
        assert [r.requested_by.username for r in shown] == ["pablo", "pablo"]
    assert shown == [older, newer]
    assert list(contact_requests.open_requests(publisher)) == [older, newer]
    assert list(contact_requests.open_requests(writer)) == []


# -- handling a request ----------------------------------------------------------
def test_manager_lists_open_requests_first(client, contacts_manager, publisher) -> None:
    declined = contact_requests.create_request(publisher, name="Declined later")
    waiting = contact_requests.create_request(publisher, name="Waiting")
    contact_requests.decline(declined, contacts_manager)
    client.force_login(contacts_manager)
    response = client.get(REQUESTS)
    rows = list(response.context["cl"].result_list)
    assert rows == [waiting, declined]
    assert "Create contact" in response.text


def test_manager_creates_the_contact_from_a_request(client, contacts_manager, publisher) -> None:
    nchr = OrganisationFactory(name="National Commission for Human Rights", acronym="NCHR")
    request = contact_requests.create_request(
        publisher,
        name="Zunaira Inam",
        organisation_name="nchr",
        email="zunaira@nchr.gov.pk",
        phone="0300 1234567",
        note="Spokesperson",
    )
    client.force_login(contacts_manager)
    listing = client.get(REQUESTS).text
    create_url = next(
        part.split('"')[0] for part in listing.split('href="') if "from_request=" in part
    ).replace("&amp;", "&")
    form_page = client.get(create_url)
    initial = form_page.context["adminform"].form.initial
    assert initial["name"] == "Zunaira Inam"
    assert initial["email"] == "zunaira@nchr.gov.pk"
    assert initial["organisation"] == str(nchr.pk)
    assert "Creating the contact requested by" in form_page.text

    response = client.post(
        create_url,
        {
            "honorific": "Ms.",
            "name": "Zunaira Inam",
            "job_title": "Spokesperson",
            "organisation": nchr.pk,
            "email": "zunaira@nchr.gov.pk",
            "phone": "0300 1234567",
            "is_public": "on",
            "is_active": "on",
            "staff_notes": "Spokesperson",
        },
        follow=True,
    )
    assert response.status_code == 200
    contact = MediaContact.objects.get(email="zunaira@nchr.gov.pk")
    request.refresh_from_db()
    assert request.status == ContactRequest.Status.DONE
    assert (request.contact, request.handled_by) == (contact, contacts_manager)
    assert request.handled_at is not None
    assert list(contact_requests.open_requests(contacts_manager)) == []


def test_the_action_opens_the_filled_in_form_and_decline_closes(
    client, contacts_manager, publisher
) -> None:
    first = contact_requests.create_request(publisher, name="First", email="a@example.org")
    second = contact_requests.create_request(publisher, name="Second")
    client.force_login(contacts_manager)
    response = client.post(
        REQUESTS, {"action": "create_contact_from_request", "_selected_action": [first.pk]}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(ADD_CONTACT)
    assert f"from_request={first.pk}" in response["Location"]

    client.post(REQUESTS, {"action": "decline_requests", "_selected_action": [second.pk]})
    second.refresh_from_db()
    assert (second.status, second.handled_by) == ("declined", contacts_manager)


def test_someone_who_cannot_handle_requests_does_not_close_one(client, writer, publisher) -> None:
    """A writer adding a contact with ?from_request= in the address closes nothing."""
    org = OrganisationFactory()
    request = contact_requests.create_request(publisher, name="Asked")
    client.force_login(writer)
    client.post(
        f"{ADD_CONTACT}?from_request={request.pk}",
        {"name": "Asked", "organisation": org.pk, "is_active": "on", "email": "", "phone": ""},
    )
    assert MediaContact.objects.filter(name="Asked").exists()
    request.refresh_from_db()
    assert request.status == ContactRequest.Status.OPEN


def test_requests_changelist_queries_are_fixed(
    client, contacts_manager, publisher, django_assert_max_num_queries
) -> None:
    contact = MediaContactFactory()
    for n in range(8):
        req = contact_requests.create_request(publisher, name=f"Person {n}")
        if n % 2:
            contact_requests.mark_done(req, contact, contacts_manager)
    client.force_login(contacts_manager)
    client.get(REQUESTS)
    with django_assert_max_num_queries(12):
        assert client.get(REQUESTS).status_code == 200


def test_a_user_without_any_contacts_permission_sees_neither(client, writer) -> None:
    writer.groups.clear()
    writer.is_staff = True
    writer.save()
    writer.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_pressrelease", "change_pressrelease", "view_pressrelease"]
        )
    )
    client.force_login(writer)
    html = client.get(NEW_RELEASE).text
    assert popup_add_link(ADD_CONTACT) not in html
    assert "Request a new contact" not in html

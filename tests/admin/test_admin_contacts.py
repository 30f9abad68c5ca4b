"""The contacts admin: bad input refused with a message, CSV export,
revisions and recovery, and changelists that do not grow with rows."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from reversion.models import Version

from contacts.models import MediaContact, Organisation, Partnership, PartnershipMember
from tests.factories import (
    MediaContactFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
)

pytestmark = pytest.mark.django_db


# -- helpers -----------------------------------------------------------------
def contact_data(organisation: Organisation, **overrides: object) -> dict[str, object]:
    data = {
        "honorific": "Ms.",
        "name": "Ayesha Khan",
        "job_title": "Press Officer",
        "organisation": organisation.pk,
        "email": "ayesha.khan@example.org",
        "phone": "+92 51 2345678",
        "is_public": "on",
        "is_active": "on",
        "staff_notes": "",
    }
    data.update(overrides)
    return data


def organisation_data(**overrides: object) -> dict[str, object]:
    data = {
        "name": "Human Rights Example Commission",
        "acronym": "HREC",
        "slug": "hrec",
        "kind": Organisation.Kind.NHRI,
        "parent": "",
        "about": "<p>An example commission.</p>",
        "website": "https://example.org",
        "email": "press@example.org",
        "phone": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def partnership_data(members: list[tuple[Organisation, str]], **overrides) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Joint programme on migrants' rights",
        "slug": "joint-programme",
        "kind": Partnership.Kind.JOINT_PROGRAMME,
        "status": Partnership.Status.ACTIVE,
        "summary": "",
        "signed_on": "2023-10-18",
        "starts_on": "2023-11-01",
        "ends_on": "2024-10-31",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    for i, (org, role) in enumerate(members):
        data[f"members-{i}-organisation"] = org.pk
        data[f"members-{i}-role"] = role
        data[f"members-{i}-order"] = str(i)
    data.update(overrides)
    return data


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def errors_of(response) -> str:
    """The text of every error shown on an admin form page."""
    assert response.status_code == 200, "an error is shown on the form, not a crash"
    form = response.context["adminform"].form
    assert form.errors, "the form was refused"
    return " ".join(" ".join(messages) for messages in form.errors.values())


ADD_CONTACT = reverse("admin:contacts_mediacontact_add")
ADD_ORGANISATION = reverse("admin:contacts_organisation_add")
ADD_PARTNERSHIP = reverse("admin:contacts_partnership_add")


# -- good input is saved, with a revision ------------------------------------
def test_valid_contact_is_saved_normalised_and_versioned(admin_client) -> None:
    org = OrganisationFactory()
    response = admin_client.post(
        ADD_CONTACT, contact_data(org, email=" Ayesha.Khan@Example.org ", phone="+(92) 334 4563210")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    contact = MediaContact.objects.get(name="Ayesha Khan")
    assert contact.email == "ayesha.khan@example.org"
    assert contact.phone == "+92 334 4563210"
    assert contact.phone_e164 == "+923344563210"
    assert Version.objects.get_for_object(contact).count() == 1


def test_valid_partnership_is_saved_with_members_in_its_revision(admin_client) -> None:
    nchr, iom = OrganisationFactory(acronym="NCHR"), OrganisationFactory(acronym="IOM")
    response = admin_client.post(
        ADD_PARTNERSHIP, partnership_data([(nchr, "signatory"), (iom, "signatory")])
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get(slug="joint-programme")
    assert [m.organisation for m in partnership.members.all()] == [nchr, iom]
    # The members are followed: the partnership's revision holds them too.
    revision = Version.objects.get_for_object(partnership).get().revision
    member_versions = revision.version_set.filter(
        content_type__model=PartnershipMember._meta.model_name
    )
    assert member_versions.count() == 2


def test_a_deleted_contact_can_be_recovered(admin_client) -> None:
    org = OrganisationFactory()
    admin_client.post(ADD_CONTACT, contact_data(org))
    contact = MediaContact.objects.get(email="ayesha.khan@example.org")
    response = admin_client.post(
        reverse("admin:contacts_mediacontact_delete", args=[contact.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not MediaContact.objects.filter(pk=contact.pk).exists()

    recover = admin_client.get(reverse("admin:contacts_mediacontact_recoverlist"))
    assert "Ayesha Khan" in recover.text
    version = Version.objects.get_deleted(MediaContact).get()
    response = admin_client.post(
        reverse("admin:contacts_mediacontact_recover", args=[version.pk]),
        contact_data(org),
    )
    assert response.status_code == 302
    assert MediaContact.objects.get(pk=contact.pk).email == "ayesha.khan@example.org"


# -- bad input is refused with a message -----------------------------------------
def test_invalid_email_is_refused(admin_client) -> None:
    org = OrganisationFactory()
    response = admin_client.post(ADD_CONTACT, contact_data(org, email="ayesha@"))
    assert "Enter a valid email address." in errors_of(response)
    assert not MediaContact.objects.exists()


@pytest.mark.parametrize(
    ("phone", "message"),
    [("call me maybe", "is not a phone number"), ("+92 51", "wrong number of digits")],
)
def test_invalid_phone_is_refused(admin_client, phone, message) -> None:
    org = OrganisationFactory()
    response = admin_client.post(ADD_CONTACT, contact_data(org, phone=phone))
    assert message in errors_of(response)
    assert not MediaContact.objects.exists()


def test_duplicate_email_is_refused_whatever_its_case(admin_client) -> None:
    existing = MediaContactFactory(email="zunaira@nchr.gov.pk")
    response = admin_client.post(
        ADD_CONTACT, contact_data(existing.organisation, email="Zunaira@NCHR.gov.pk")
    )
    form = response.context["adminform"].form
    message = str(form.errors["email"])
    assert "A contact with this e-mail address already exists" in message
    edit_url = reverse("admin:contacts_mediacontact_change", args=[existing.pk])
    assert f'href="{edit_url}"' in message and str(existing) in message
    assert MediaContact.objects.count() == 1


def test_a_contact_can_be_saved_again_with_its_own_email(admin_client) -> None:
    contact = MediaContactFactory(email="zunaira@nchr.gov.pk")
    response = admin_client.post(
        reverse("admin:contacts_mediacontact_change", args=[contact.pk]),
        contact_data(contact.organisation, name="Zunaira Inam", email="zunaira@nchr.gov.pk"),
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.name == "Zunaira Inam"


def test_non_image_logo_is_refused(admin_client) -> None:
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = admin_client.post(ADD_ORGANISATION, {**organisation_data(), "logo": fake})
    assert "Upload a valid image" in errors_of(response)
    assert not Organisation.objects.filter(slug="hrec").exists()


def test_image_of_a_refused_format_is_refused_by_our_validator(admin_client) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "BMP")
    bmp = SimpleUploadedFile("logo.bmp", buffer.getvalue(), content_type="image/bmp")
    response = admin_client.post(ADD_ORGANISATION, {**organisation_data(), "logo": bmp})
    assert "BMP images are not accepted" in errors_of(response)
    assert not Organisation.objects.filter(slug="hrec").exists()


def test_real_image_logo_is_accepted(admin_client) -> None:
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    response = admin_client.post(ADD_ORGANISATION, {**organisation_data(), "logo": logo})
    assert response.status_code == 302
    assert Organisation.objects.get(slug="hrec").logo.name.startswith("logos/")


def test_partnership_ending_before_it_starts_is_refused(admin_client) -> None:
    org = OrganisationFactory()
    response = admin_client.post(
        ADD_PARTNERSHIP,
        partnership_data([(org, "signatory")], starts_on="2024-05-01", ends_on="2024-04-30"),
    )
    form = response.context["adminform"].form
    assert "is before the start date" in str(form.errors["ends_on"])
    assert not Partnership.objects.exists()


def test_unsafe_about_html_is_cleaned_on_save(admin_client) -> None:
    about = '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:x()">y</a></p>'
    response = admin_client.post(ADD_ORGANISATION, organisation_data(about=about))
    assert response.status_code == 302
    stored = Organisation.objects.get(slug="hrec").about
    assert "script" not in stored and "onclick" not in stored and "javascript" not in stored


# -- CSV export ----------------------------------------------------------------
def test_csv_export_of_selected_contacts(admin_client) -> None:
    iom = OrganisationFactory(name="IOM Pakistan", acronym="")
    nchr = OrganisationFactory(name="National Commission for Human Rights", acronym="NCHR")
    ramsha = MediaContactFactory(
        honorific="",
        name="Ramsha Nadeem",
        job_title="Media & Communications Assistant",
        organisation=iom,
        email="rnadeem@iom.int",
        phone="+(92) 334 4563210",
        staff_notes="Prefers WhatsApp",
    )
    sneaky = MediaContactFactory(
        name='=HYPERLINK("http://evil.example")', organisation=nchr, is_public=False
    )
    left_out = MediaContactFactory(name="Not Selected", organisation=nchr)

    response = admin_client.post(
        reverse("admin:contacts_mediacontact_changelist"),
        {"action": "export_csv", "_selected_action": [ramsha.pk, sneaky.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="media-contacts-\d{4}-\d{2}-\d{2}\.csv"',
        response["Content-Disposition"],
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Name",
        "Honorific",
        "Job title",
        "Organisation",
        "E-mail",
        "Phone",
        "Public",
        "Active",
        "Staff notes",
    ]
    body = {row[4]: row for row in rows[1:]}
    assert len(rows) == 3
    assert body["rnadeem@iom.int"] == [
        "Ramsha Nadeem",
        "",
        "Media & Communications Assistant",
        "IOM Pakistan",
        "rnadeem@iom.int",
        "+92 334 4563210",  # a phone number is not mistaken for a formula
        "yes",
        "yes",
        "Prefers WhatsApp",
    ]
    sneaky_row = body[sneaky.email]
    assert sneaky_row[0].startswith("'=")  # neutralised formula
    assert sneaky_row[3] == "National Commission for Human Rights (NCHR)"
    assert sneaky_row[6] == "no"
    assert left_out.email not in body


# -- query counts --------------------------------------------------------------
def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_contact_changelist_queries_are_fixed(admin_client, django_assert_num_queries) -> None:
    path = reverse("admin:contacts_mediacontact_changelist")
    MediaContactFactory.create_batch(2)
    admin_client.get(path)
    baseline = count_queries(admin_client, path)
    parent = OrganisationFactory()
    MediaContactFactory.create_batch(6, organisation=OrganisationFactory(parent=parent))
    MediaContactFactory.create_batch(6)
    with django_assert_num_queries(baseline):
        admin_client.get(path)


def test_partnership_changelist_queries_are_fixed(admin_client, django_assert_num_queries) -> None:
    path = reverse("admin:contacts_partnership_changelist")
    PartnershipMemberFactory(partnership=PartnershipFactory())
    admin_client.get(path)
    baseline = count_queries(admin_client, path)
    for _ in range(6):
        partnership = PartnershipFactory()
        PartnershipMemberFactory.create_batch(3, partnership=partnership)
    with django_assert_num_queries(baseline):
        response = admin_client.get(path)
    assert "(signatory)" in response.text


def test_organisation_changelist_queries_are_fixed(admin_client, django_assert_num_queries) -> None:
    path = reverse("admin:contacts_organisation_changelist")
    OrganisationFactory()
    admin_client.get(path)
    baseline = count_queries(admin_client, path)
    for _ in range(6):
        MediaContactFactory.create_batch(
            2, organisation=OrganisationFactory(parent=OrganisationFactory())
        )
    with django_assert_num_queries(baseline):
        admin_client.get(path)


def test_about_is_edited_with_the_prosemirror_widget(admin_client) -> None:
    response = admin_client.get(ADD_ORGANISATION)
    assert "prose_editor/editor.js" in response.text

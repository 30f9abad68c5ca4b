"""Phone numbers: stored in one international format with E.164 beside it,
read in the region's country when written without a country code (and the
form says so), refused with a clear message when not a real number."""

from __future__ import annotations

import re

import pytest
import vobject
from django.urls import reverse

from contacts.models import MediaContact, Organisation
from contacts.phones import display_phone, normalise_phone, region_name
from tests.factories import MediaContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

ADD_CONTACT = reverse("admin:contacts_mediacontact_add")
ADD_ORGANISATION = reverse("admin:contacts_organisation_add")


def contact_data(organisation: Organisation, **overrides: object) -> dict[str, object]:
    data = {
        "honorific": "Ms.",
        "name": "Ayesha Khan",
        "job_title": "Press Officer",
        "organisation": organisation.pk,
        "email": "ayesha.khan@example.org",
        "phone": "",
        "is_public": "on",
        "is_active": "on",
        "staff_notes": "",
    }
    data.update(overrides)
    return data


def phone_errors(response) -> str:
    return str(response.context["adminform"].form.errors.get("phone", ""))


def test_local_number_is_read_in_the_region_and_the_form_says_so(admin_client) -> None:
    org = OrganisationFactory()
    response = admin_client.post(ADD_CONTACT, contact_data(org, phone="0300 1234567"), follow=True)
    contact = MediaContact.objects.get(email="ayesha.khan@example.org")
    assert contact.phone == "+92 300 1234567"
    assert contact.phone_e164 == "+923001234567"
    shown = [str(m) for m in response.context["messages"]]
    assert (
        "The phone number “0300 1234567” has no country code, so it was read as a "
        "Pakistan (+92) number and saved as +92 300 1234567." in shown
    )


def test_the_form_says_beforehand_which_country_is_assumed(admin_client) -> None:
    response = admin_client.get(ADD_CONTACT)
    help_text = response.context["adminform"].form.fields["phone"].help_text
    assert help_text.startswith("Numbers written without a country code are read as Pakistan")
    assert re.search(r"0\d{3} \d{7} is saved as \+92 \d{3} \d{7}", help_text)
    assert help_text in response.text


def test_number_with_its_country_code_is_not_told_about_a_region(admin_client) -> None:
    org = OrganisationFactory()
    response = admin_client.post(
        ADD_CONTACT, contact_data(org, phone="+44 20 7946 0958"), follow=True
    )
    assert MediaContact.objects.get().phone == "+44 20 7946 0958"
    assert not [m for m in response.context["messages"] if "country code" in str(m)]


def test_the_region_comes_from_the_setting(admin_client, settings) -> None:
    settings.NEWSROOM_PHONE_REGION = "GB"
    org = OrganisationFactory()
    response = admin_client.post(ADD_CONTACT, contact_data(org, phone="020 7946 0958"), follow=True)
    assert MediaContact.objects.get().phone == "+44 20 7946 0958"
    assert region_name() == "United Kingdom (+44)"
    assert any("United Kingdom (+44)" in str(m) for m in response.context["messages"])


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("call me maybe", "“call me maybe” is not a phone number."),
        ("12345", "“12345” is not a valid phone number in Pakistan (+92)."),
        ("0300 12", "“0300 12” is not a valid phone number in Pakistan (+92)."),
        ("0300 123456789012", "has the wrong number of digits for a phone number in Pakistan"),
        ("0000 0000000", "“0000 0000000” is not a valid phone number in Pakistan (+92)."),
        ("+92 51", "“+92 51” has the wrong number of digits for a phone number. Check"),
    ],
)
def test_a_number_that_is_not_real_is_refused_with_a_clear_message(
    admin_client, typed, message
) -> None:
    org = OrganisationFactory()
    response = admin_client.post(ADD_CONTACT, contact_data(org, phone=typed))
    assert response.status_code == 200
    assert message in phone_errors(response)
    assert not MediaContact.objects.exists()


def test_organisation_phone_is_stored_in_the_same_format(admin_client) -> None:
    response = admin_client.post(
        ADD_ORGANISATION,
        {
            "name": "Example Commission",
            "acronym": "EC",
            "slug": "ec",
            "kind": Organisation.Kind.NHRI,
            "parent": "",
            "about": "",
            "website": "",
            "email": "",
            "phone": "051 9204567",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.get(slug="ec").phone == "+92 51 9204567"


def test_every_route_stores_one_format() -> None:
    """Not only the admin: the importer and the demo save through the model."""
    contact = MediaContactFactory(phone="+(92) 334 4563210")
    assert (contact.phone, contact.phone_e164) == ("+92 334 4563210", "+923344563210")


def test_an_old_unreadable_number_is_kept_as_typed() -> None:
    assert display_phone("ask reception") == "ask reception"
    assert normalise_phone("ask reception") == ""
    contact = MediaContactFactory(phone="ask reception")
    assert (contact.phone, contact.phone_e164) == ("ask reception", "")


def test_vcard_and_public_page_show_the_international_format(client) -> None:
    contact = MediaContactFactory(phone="0300 1234567", is_public=True, is_active=True)
    card = vobject.readOne(client.get(f"/contacts/{contact.pk}.vcf").content.decode())
    assert card.tel.value == "+92 300 1234567"
    page = client.get(reverse("contacts:contact_list")).text
    assert 'href="tel:+923001234567">+92 300 1234567</a>' in page

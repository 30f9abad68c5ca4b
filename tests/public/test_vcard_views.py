"""Contact cards: parse back with vobject, hold the public fields, nothing else."""

from __future__ import annotations

import json

import pytest
import vobject

from contacts.vcard import contact_to_vcard
from tests.api.support import STAFF_NOTE, world  # noqa: F401
from tests.factories import MediaContactFactory, OrganisationFactory, PressReleaseFactory

pytestmark = pytest.mark.django_db


def parse_all(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    return list(vobject.readComponents(response.content.decode("utf-8")))


def test_contact_card_holds_name_organisation_email_and_phone(client, world):  # noqa: F811
    contact = world.public_contact
    response = client.get(f"/contacts/{contact.pk}.vcf")
    assert response["Content-Disposition"] == 'attachment; filename="amina-khan.vcf"'
    [card] = parse_all(response)
    assert card.version.value == "3.0"
    assert card.fn.value == "Ms. Amina Khan"
    assert (card.n.value.given, card.n.value.family, card.n.value.prefix) == (
        "Amina",
        "Khan",
        "Ms.",
    )
    # The comma and semicolon in the organisation's name survive the round trip.
    assert card.org.value == ["Agency, Country Office; Islamabad"]
    assert card.title.value == "Media officer, Islamabad; PK"
    assert card.email.value == contact.email
    # The number as every page shows it (tests/contacts: the international format).
    assert card.tel.value == contact.phone
    assert {t.upper() for t in card.tel.params["TYPE"]} >= {"WORK"}
    assert card.url.value == "https://agency.example.org/"
    assert card.uid.value.endswith(f"/contacts/{contact.pk}.vcf")
    assert STAFF_NOTE not in response.content.decode()


def test_escaping_and_folding_of_awkward_values(db):
    org = OrganisationFactory(name="Ministry of Human Rights, Government of Pakistan; HQ " * 3)
    contact = MediaContactFactory(
        organisation=org, name="Zara Ali", job_title="Head of media;\nspokesperson, acting"
    )
    text = contact_to_vcard(contact).serialize()
    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines), "long ORG line is folded"
    assert "TITLE:Head of media\\;\\nspokesperson\\, acting" in text
    card = vobject.readOne(text)
    assert card.title.value == "Head of media;\nspokesperson, acting"
    assert card.org.value == [org.name]


def test_organisation_page_is_the_url_without_a_website(client, db, settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    contact = MediaContactFactory(organisation=OrganisationFactory(slug="nchr", website=""))
    [card] = parse_all(client.get(f"/contacts/{contact.pk}.vcf"))
    assert card.url.value == "https://news.example.org/organisations/nchr/"


def test_internal_or_inactive_contact_is_404(client, world):  # noqa: F811
    for contact in (world.internal_contact, world.inactive_contact):
        response = client.get(f"/contacts/{contact.pk}.vcf")
        assert response.status_code == 404
        assert contact.name.encode() not in response.content
    assert client.get("/contacts/999999.vcf").status_code == 404


def test_release_card_file_holds_all_public_contacts_only(client, world):  # noqa: F811
    second = MediaContactFactory(organisation=world.lead, name="Bilal Ahmed")
    release = PressReleaseFactory(
        slug="two-contacts",
        contacts=[world.public_contact, world.internal_contact, second, world.inactive_contact],
    )
    response = client.get(f"/releases/{release.slug}/contacts.vcf")
    assert response["Content-Disposition"] == 'attachment; filename="two-contacts-contacts.vcf"'
    cards = parse_all(response)
    assert [card.fn.value for card in cards] == ["Ms. Amina Khan", "Ms. Bilal Ahmed"]
    body = response.content.decode()
    assert world.internal_contact.name not in body
    assert world.internal_contact.email not in body
    assert world.inactive_contact.name not in body
    assert STAFF_NOTE not in body


def test_release_card_file_of_unpublished_release_is_404(client, world):  # noqa: F811
    for release in world.hidden.values():
        assert client.get(f"/releases/{release.slug}/contacts.vcf").status_code == 404
    assert client.get(f"/releases/{world.published.slug}/contacts.vcf").status_code == 200


def test_release_without_public_contacts_is_404(client, world):  # noqa: F811
    release = PressReleaseFactory(contacts=[world.internal_contact])
    assert client.get(f"/releases/{release.slug}/contacts.vcf").status_code == 404


def test_cards_only_answer_get(client, world):  # noqa: F811
    response = client.post(f"/contacts/{world.public_contact.pk}.vcf")
    assert response.status_code == 405


def test_api_links_to_the_card(client, world):  # noqa: F811
    data = json.loads(client.get("/api/v1/contacts/").content)
    url = data["results"][0]["vcard_url"]
    assert url.endswith(f"/contacts/{world.public_contact.pk}.vcf")

"""A desk or shared inbox is an organisation card, not a person (issue 19, item 5).

A phone that reads "IOM Pakistan general enquiries" as a person files it
under the surname "enquiries"; a desk's card has no personal name and asks
to be shown as a company.
"""

from __future__ import annotations

import pytest
import vobject
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from contacts.models import MediaContact
from contacts.vcard import contact_to_vcard
from tests.factories import MediaContactFactory, OrganisationFactory

BEFORE = [("contacts", "0004_normalise_phones")]
AFTER = [("contacts", "0005_contact_kind")]


@pytest.mark.django_db
def test_a_desk_is_an_organisation_card():
    org = OrganisationFactory(name="IOM Pakistan")
    desk = MediaContactFactory(
        organisation=org,
        honorific="",
        name="IOM Pakistan general enquiries",
        kind=MediaContact.Kind.DESK,
    )
    card = vobject.readOne(contact_to_vcard(desk).serialize())
    assert card.fn.value == "IOM Pakistan general enquiries"
    assert card.n.value.family == "" and card.n.value.given == ""
    assert card.contents["x-abshowas"][0].value == "COMPANY"
    assert card.org.value == ["IOM Pakistan"]


@pytest.mark.django_db
def test_a_person_keeps_a_personal_name():
    person = MediaContactFactory(name="Amina Khan")
    card = vobject.readOne(contact_to_vcard(person).serialize())
    assert card.n.value.family == "Khan" and card.n.value.given == "Amina"
    assert "x-abshowas" not in card.contents


@pytest.fixture
def old_state(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    yield executor.loader.project_state(BEFORE).apps
    call_command("migrate", verbosity=0)


def test_the_migration_marks_existing_shared_inboxes_as_desks(old_state):
    Organisation = old_state.get_model("contacts", "Organisation")
    Contact = old_state.get_model("contacts", "MediaContact")  # noqa: N806
    org = Organisation.objects.create(name="IOM Pakistan", slug="iom")
    names = ["IOM Pakistan general enquiries", "Press office", "Amina Khan", "Desmond Tutu"]
    for number, name in enumerate(names):
        Contact.objects.create(name=name, organisation=org, email=f"c{number}@x.org")
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    after = executor.loader.project_state(AFTER).apps.get_model("contacts", "MediaContact")
    kinds = dict(after.objects.values_list("name", "kind"))
    assert kinds == {
        "IOM Pakistan general enquiries": "desk",
        "Press office": "desk",
        "Amina Khan": "person",
        "Desmond Tutu": "person",
    }

"""Item 13: the contacts list has a visible "Export" button that downloads
the list as filtered and searched on screen (not only the ticked rows)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import MediaContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:contacts_mediacontact_changelist")
EXPORT = reverse("admin:contacts_mediacontact_export")


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def contacts():
    iom = OrganisationFactory(name="IOM Pakistan", acronym="IOM")
    nchr = OrganisationFactory(name="National Commission for Human Rights", acronym="NCHR")
    return {
        "ramsha": MediaContactFactory(
            name="Ramsha Nadeem", organisation=iom, email="rnadeem@iom.int", phone="0334 4563210"
        ),
        "internal": MediaContactFactory(
            name='=HYPERLINK("http://evil.example")', organisation=iom, is_public=False
        ),
        "zunaira": MediaContactFactory(
            name="Zunaira Inam", organisation=nchr, email="zunaira@nchr.gov.pk"
        ),
    }


def test_the_button_carries_the_lists_filters(admin_client, contacts) -> None:
    response = admin_client.get(f"{LIST}?is_public__exact=1&q=iom")
    assert response.context["cl"].result_count == 1
    assert f'href="{EXPORT}?is_public__exact=1&amp;q=iom"' in response.text
    assert "Export these 1 as CSV" in response.text
    unfiltered = admin_client.get(LIST)
    assert f'href="{EXPORT}?"' in unfiltered.text and "Export all 3 as CSV" in unfiltered.text


def test_export_holds_exactly_the_filtered_list(
    admin_client, contacts, django_assert_max_num_queries
) -> None:
    iom = contacts["ramsha"].organisation
    with django_assert_max_num_queries(12):
        response = admin_client.get(f"{EXPORT}?organisation__id__exact={iom.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="media-contacts-')
    rows = rows_of(response)
    assert rows[0][:6] == ["Name", "Honorific", "Job title", "Organisation", "E-mail", "Phone"]
    by_name = {row[0]: row for row in rows[1:]}
    assert len(rows) == 3  # header + the two IOM contacts, not NCHR's
    assert by_name["Ramsha Nadeem"][3:6] == [
        "IOM Pakistan (IOM)",
        "rnadeem@iom.int",
        "+92 334 4563210",
    ]
    # A name shaped like a formula is neutralised (core.csv).
    assert '\'=HYPERLINK("http://evil.example")' in by_name
    assert "Zunaira Inam" not in by_name


def test_export_follows_the_search_too(admin_client, contacts) -> None:
    rows = rows_of(admin_client.get(f"{EXPORT}?q=zunaira"))
    assert [row[0] for row in rows[1:]] == ["Zunaira Inam"]


def test_export_needs_permission_to_see_contacts(client, django_user_model, contacts) -> None:
    nobody = django_user_model.objects.create_user("nobody", password="x", is_staff=True)
    client.force_login(nobody)
    assert client.get(EXPORT).status_code == 403


def test_a_filter_that_cannot_be_read_is_a_message_not_an_error(admin_client, contacts) -> None:
    response = admin_client.get(f"{EXPORT}?is_public__exact=maybe", follow=True)
    assert response.status_code == 200
    assert any("nothing was exported" in str(m) for m in response.context["messages"])

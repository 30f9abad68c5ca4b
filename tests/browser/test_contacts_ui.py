"""Contacts in the admin, done as people do them (issue 12, items 7, 11, 13).

* A writer adds a missing press officer from the release form through the
  "+" pop-up; a publisher, who may not add contacts, requests one, and the
  contacts manager finds the request and creates the contact from it.
* A duplicate e-mail address is refused next to the field, naming and
  linking the contact who has it.
* The "Export" button downloads the list as filtered on screen.
* At 1280 px the e-mail and phone columns are in view, not behind the filters.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from contacts.models import ContactRequest, MediaContact
from releases.roles import CONTACTS_MANAGER, PUBLISHER, WRITER, sync_roles
from tests.browser.support import choose_in_autocomplete, login_admin, shoot
from tests.factories import (
    MediaContactFactory,
    OrganisationFactory,
    PressReleaseFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIST_1280 = {"width": 1280, "height": 800}


@pytest.fixture
def people():
    """A writer, a publisher and a contacts manager in their role groups
    (a transactional test starts without the groups: sync_roles makes them)."""
    sync_roles(apps)
    made = {}
    for username, role in (("wanda", WRITER), ("petra", PUBLISHER), ("maria", CONTACTS_MANAGER)):
        user = UserFactory(username=username, first_name=username.title(), is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        made[role] = user
    return made


@pytest.fixture
def iom():
    return OrganisationFactory(name="IOM Pakistan", acronym="IOM", slug="iom")


def assert_within_list(page: Page, element: Locator) -> None:
    """``element`` is in view: inside the list's visible box (which scrolls
    sideways, cutting off what does not fit) and left of the filter panel."""
    visible = page.locator("#changelist .results").bounding_box()
    filters = page.locator("#changelist-filter").bounding_box()
    box = element.bounding_box()
    assert visible and filters and box
    right = box["x"] + box["width"]
    assert right <= visible["x"] + visible["width"] and right <= filters["x"], (
        f"{element} ends at {right:.0f} px, the list is cut off at "
        f"{visible['x'] + visible['width']:.0f} px"
    )


def add_contact_row(page: Page) -> None:
    page.locator("#contact_links-group .add-row a").click()


# -- item 7: the "+" pop-up, and the request for those who may not add --------------
def test_writer_adds_a_new_contact_through_the_plus_popup(new_page, people, iom) -> None:
    page = new_page()
    login_admin(page, "wanda")
    page.goto(reverse("admin:releases_pressrelease_add"))
    add_contact_row(page)
    expect(page.get_by_text("Use the + next to a contact")).to_be_visible()

    with page.expect_popup() as opened:
        page.locator("#add_id_contact_links-0-contact").click()
    popup = opened.value
    popup.wait_for_load_state()
    popup.get_by_label("Name:").fill("Ramsha Nadeem")
    popup.get_by_label("Job title:").fill("Media & Communications Assistant")
    choose_in_autocomplete(popup, "id_organisation", "IOM", "IOM Pakistan")
    popup.get_by_label("E-mail:").fill("rnadeem@iom.int")
    popup.get_by_label("Phone:").fill("0334 4563210")
    # The form says beforehand which country a number without a code is read in.
    expect(popup.locator("#id_phone_helptext")).to_contain_text("read as Pakistan (+92) numbers")
    shoot(popup, "contacts-popup")
    popup.get_by_role("button", name="Save", exact=True).click()
    popup.wait_for_event("close")

    # The new contact is chosen in the release's row, ready to save with it.
    expect(page.locator("#id_contact_links-0-contact + .select2")).to_contain_text(
        "Ramsha Nadeem (IOM)"
    )
    contact = MediaContact.objects.get(email="rnadeem@iom.int")
    assert (contact.phone, contact.phone_e164) == ("+92 334 4563210", "+923344563210")


def test_publisher_requests_a_contact_and_the_manager_creates_it(new_page, people, iom) -> None:
    release = PressReleaseFactory(title="IOM and NCHR sign an MoU", organisations=[iom])
    publisher = new_page()
    login_admin(publisher, "petra")
    publisher.goto(reverse("admin:releases_pressrelease_change", args=[release.pk]))
    expect(publisher.locator("#add_id_contact_links-0-contact")).to_have_count(0)
    with publisher.expect_popup() as opened:
        publisher.get_by_role("link", name="Request a new contact").click()
    form = opened.value
    form.wait_for_load_state()
    form.get_by_label("Name:").fill("Zunaira Inam")
    form.get_by_label("Organisation:").fill("IOM")
    form.get_by_label("E-mail:").fill("zunaira@iom.int")
    form.get_by_label("Phone:").fill("0300 1234567")
    form.get_by_label("Note:").fill("Spokesperson for the MoU; public.")
    form.get_by_role("button", name="Save", exact=True).click()
    expect(form.locator("#content-main")).to_contain_text(
        "Your request for Zunaira Inam (IOM) was sent to the contacts managers."
    )
    expect(form.get_by_role("link", name="Open the release")).to_have_attribute(
        "href", reverse("admin:releases_pressrelease_change", args=[release.pk])
    )

    manager = new_page()
    login_admin(manager, "maria")
    manager.get_by_role("link", name="Contact requests").click()
    row = manager.locator("#result_list tbody tr").first
    expect(row).to_contain_text("Zunaira Inam")
    expect(row).to_contain_text("by Petra")
    shoot(manager, "contacts-requests", full_page=False)
    create = row.get_by_role("link", name="Create contact")
    # In view beside the filter panel at 1280 px, not scrolled out of sight.
    assert_within_list(manager, create)
    create.click()
    expect(manager.locator(".contact-request-note")).to_contain_text("requested by")
    expect(manager.get_by_label("Name:")).to_have_value("Zunaira Inam")
    expect(manager.get_by_label("E-mail:")).to_have_value("zunaira@iom.int")
    # "IOM" matched the organisation's acronym, so it is already chosen.
    expect(manager.locator("#id_organisation + .select2")).to_contain_text("IOM Pakistan")
    manager.get_by_label("Job title:").fill("Spokesperson")
    manager.get_by_role("button", name="Save", exact=True).click()
    expect(manager.locator(".messagelist")).to_contain_text("is marked as done")
    expect(manager.locator(".messagelist")).to_contain_text(
        "read as a Pakistan (+92) number and saved as +92 300 1234567"
    )
    assert ContactRequest.objects.get().status == ContactRequest.Status.DONE
    assert MediaContact.objects.get(email="zunaira@iom.int").phone == "+92 300 1234567"


# -- item 13: duplicate e-mail, export -------------------------------------------
def test_duplicate_email_is_refused_next_to_the_field_with_a_link(new_page, people, iom) -> None:
    existing = MediaContactFactory(name="Ramsha Nadeem", organisation=iom, email="rnadeem@iom.int")
    page = new_page()
    login_admin(page, "maria")
    page.goto(reverse("admin:contacts_mediacontact_add"))
    page.get_by_label("Name:").fill("R. Nadeem")
    choose_in_autocomplete(page, "id_organisation", "IOM", "IOM Pakistan")
    page.get_by_label("E-mail:").fill("RNadeem@IOM.int")
    page.get_by_role("button", name="Save", exact=True).click()

    error = page.locator(".field-email .errorlist")
    expect(error).to_contain_text("A contact with this e-mail address already exists")
    link = error.get_by_role("link", name="Ramsha Nadeem (IOM)")
    expect(link).to_have_attribute(
        "href", reverse("admin:contacts_mediacontact_change", args=[existing.pk])
    )
    error.scroll_into_view_if_needed()
    shoot(page, "contacts-duplicate-email", full_page=False)
    with page.expect_popup() as opened:
        link.click()
    expect(opened.value.get_by_label("E-mail:")).to_have_value("rnadeem@iom.int")
    assert MediaContact.objects.count() == 1


def test_export_button_downloads_the_filtered_list(new_page, people, iom, tmp_path) -> None:
    nchr = OrganisationFactory(name="National Commission for Human Rights", acronym="NCHR")
    MediaContactFactory(name="Ramsha Nadeem", organisation=iom, email="rnadeem@iom.int")
    MediaContactFactory(name="Zunaira Inam", organisation=nchr, email="zunaira@nchr.gov.pk")
    page = new_page()
    login_admin(page, "maria")
    page.goto(reverse("admin:contacts_mediacontact_changelist"))
    page.locator("#changelist-filter").get_by_role("link", name="IOM Pakistan").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Export these 1 as CSV").click()
    saved = tmp_path / downloading.value.suggested_filename
    downloading.value.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert [row[0] for row in rows] == ["Name", "Ramsha Nadeem"]
    assert rows[1][3:5] == ["IOM Pakistan (IOM)", "rnadeem@iom.int"]


# -- item 11: the list at 1280 px --------------------------------------------------
def test_contacts_list_shows_email_and_phone_at_1280(new_page, people) -> None:
    organisations = [
        OrganisationFactory(name=name, acronym=acronym)
        for name, acronym in (
            ("National Commission for Human Rights", "NCHR"),
            ("International Organization for Migration Pakistan", "IOM"),
            ("United Nations Children's Fund Pakistan Country Office", "UNICEF"),
        )
    ]
    for n, (name, title) in enumerate(
        [
            ("Zunaira Inam", "Director of Communications and Public Affairs"),
            ("Ramsha Nadeem", "Media & Communications Assistant"),
            ("Suzana Paklar", "Chief of Communication, Advocacy and Partnerships"),
            ("Abdul Sami Malik", "Communication Officer (Media)"),
        ]
    ):
        MediaContactFactory(
            name=name,
            honorific="Ms.",
            job_title=title,
            organisation=organisations[n % 3],
            email=f"{name.split()[0].lower()}.long-address@{organisations[n % 3].slug}.example.org",
            phone="0300 1234567" if n % 2 else "+44 20 7946 0958",
        )
    page = new_page(viewport=LIST_1280)
    login_admin(page, "maria")
    page.goto(reverse("admin:contacts_mediacontact_changelist"))
    shoot(page, "contacts-list-1280", full_page=False)
    for column in ("email", "phone"):
        header = page.locator(f"#result_list th.column-{column}")
        expect(header).to_be_visible()
        assert_within_list(page, header)
    for cell in page.locator("#result_list td.field-phone").all():
        assert_within_list(page, cell)
    expect(page.locator("#result_list")).to_contain_text("+92 300 1234567")

"""End-to-end: a release goes from a writer's keyboard to the public, in a real browser.

Three people, each in their own browser context (own cookies and cache), do
their part through the admin exactly as they would at work: a Writer drafts
and submits, an Editor approves, a Publisher schedules.  An anonymous reader
then checks, at the real embargo instant and without anyone touching the
database, that nothing leaks before it and everything is there after it.
"""

from __future__ import annotations

import datetime
import re
import time
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from releases.models import AuditLogEntry, PressRelease, ReleaseContact
from releases.roles import EDITOR, PUBLISHER, WRITER, sync_roles
from tests.browser.support import (
    add_inline_row,
    choose_in_autocomplete,
    click_workflow_button,
    login_admin,
    make_photo,
    shoot,
    type_into_editor,
)
from tests.factories import MediaContactFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: A word no other content uses, so the search proves it found *this* release.
UNIQUE = "Kharotabad"
TITLE = f"Mobile clinics reach flood-hit villages near {UNIQUE}"
#: Seconds between the publisher's click and the embargo instant.  The brief
#: says "about a minute"; 15 s keeps the test short while leaving the reader
#: time to check six addresses before the instant.
EMBARGO_LEAD = 15


@pytest.fixture
def staff():
    """A writer, an editor and a publisher, in the groups of releases/roles.py.

    ``transaction=True`` tests start from a flushed database, so the groups
    the ``roles`` data migration made are gone: ``sync_roles`` makes them again.
    """
    sync_roles(apps)
    people = {}
    for username, role in (("wanda", WRITER), ("eddie", EDITOR), ("petra", PUBLISHER)):
        user = UserFactory(username=username, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        people[role] = user
    return people


@pytest.fixture
def newsroom():
    """The organisation and the two people a journalist can call."""
    nchr = OrganisationFactory(
        name="National Commission for Human Rights", acronym="NCHR", slug="nchr"
    )
    return {
        "organisation": nchr,
        "spokesperson": MediaContactFactory(
            name="Ayesha Qureshi",
            honorific="Ms.",
            job_title="Director of Communications",
            organisation=nchr,
            email="ayesha.qureshi@nchr.example.org",
        ),
        "media": MediaContactFactory(
            name="Bilal Ahmed",
            honorific="Mr.",
            job_title="Media Officer",
            organisation=nchr,
            email="bilal.ahmed@nchr.example.org",
        ),
    }


def newsroom_local(instant: datetime.datetime) -> str:
    """The embargo as the panel's field reads it (newsroom time, ISO with seconds)."""
    local = timezone.localtime(instant, ZoneInfo(settings.TIME_ZONE))
    return local.strftime("%Y-%m-%dT%H:%M:%S")


def max_age(response) -> int:
    match = re.search(r"max-age=(\d+)", response.headers.get("cache-control", ""))
    assert match, f"no max-age on {response.url}: {response.headers}"
    return int(match.group(1))


def writer_drafts_and_submits(page: Page, newsroom: dict, photo) -> PressRelease:
    login_admin(page, "wanda")
    page.goto(reverse("admin:releases_pressrelease_add"))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill(
        "Four mobile health teams now visit villages cut off by the floods, "
        "with medicines for three months."
    )
    page.locator("#id_dateline_place").fill("Islamabad")
    page.locator("#id_dateline_date").fill(timezone.localdate().isoformat())
    type_into_editor(
        page,
        [
            f"Four mobile health teams began visiting villages around {UNIQUE} this week, "
            "where the floods washed away the only road to the district hospital.",
            "Each team has a doctor, a midwife and a vaccinator, and stays one day a week "
            "in every village on its route.",
        ],
    )
    choose_in_autocomplete(page, "id_issuers-0-organisation", "NCHR", newsroom["organisation"].name)

    add_inline_row(page, "contact_links")
    add_inline_row(page, "contact_links")
    choose_in_autocomplete(page, "id_contact_links-0-contact", "Ayesha", "Ayesha Qureshi")
    page.locator("#id_contact_links-0-role").select_option(label="Spokesperson")
    choose_in_autocomplete(page, "id_contact_links-1-contact", "Bilal", "Bilal Ahmed")
    page.locator("#id_contact_links-1-role").select_option(label="Media contact")
    page.locator("#id_contact_links-1-order").fill("1")

    add_inline_row(page, "images")
    page.locator("#id_images-0-image").set_input_files(photo)
    page.locator("#id_images-0-alt_text").fill(
        "A doctor listens to a child's chest in a tent, families waiting outside"
    )
    page.locator("#id_images-0-caption").fill("A mobile clinic's first day in a flooded village.")
    page.locator("#id_images-0-credit").fill("© NCHR 2023/Sana Malik")

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    release = PressRelease.objects.get(title=TITLE)
    assert release.status == PressRelease.Status.DRAFT
    assert "floods washed away" in release.body

    # The writer sees only "Submit for review": no approve, no publish.
    buttons = page.locator(".wf-actions button")
    expect(buttons).to_have_text(["Submit for review"])
    click_workflow_button(page, "Submit for review", note="Ready; pictures cleared with Sana.")
    expect(page.locator(".wf-state")).to_have_text("In review")
    return release


def editor_approves(page: Page, release: PressRelease) -> None:
    login_admin(page, "eddie")
    # As an editor would: the list of releases waiting for review, then the release.
    page.goto(reverse("admin:releases_pressrelease_changelist") + "?state=in_review")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("region", name="Status and embargo")).to_contain_text(
        "Ready; pictures cleared with Sana."
    )
    click_workflow_button(page, "Approve")
    expect(page.locator(".wf-state")).to_have_text("Approved")


def publisher_schedules(page: Page, release: PressRelease) -> datetime.datetime:
    login_admin(page, "petra")
    page.goto(reverse("admin:releases_pressrelease_change", args=[release.pk]))
    form = page.locator(".wf-actions form").filter(
        has=page.get_by_role("button", name="Schedule", exact=True)
    )
    embargo = timezone.now().replace(microsecond=0) + datetime.timedelta(seconds=EMBARGO_LEAD)
    field = form.locator("input[name=publish_at]")
    # A person types minutes; this test needs seconds to stay short, which
    # the field's pattern and the server both accept.
    field.fill(newsroom_local(embargo))
    form.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Schedule: done.")
    expect(page.locator(".wf-state")).to_contain_text("Scheduled for")
    release.refresh_from_db()
    assert release.status == PressRelease.Status.PUBLISHED
    assert release.publish_at == embargo
    return embargo


def admin_screens(page: Page, release: PressRelease) -> None:
    """The publisher's view of the admin, for review (screenshots only, no writes)."""
    page.goto(reverse("admin:releases_pressrelease_changelist"))
    expect(page.locator("#result_list")).to_contain_text("Scheduled for")
    shoot(page, "admin_release_changelist", doc="admin-changelist.png")

    page.goto(reverse("admin:releases_pressrelease_change", args=[release.pk]))
    expect(page.get_by_role("region", name="Status and embargo")).to_be_visible()
    shoot(page, "admin_release_change_form", doc="admin-change-form-workflow.png")

    page.goto(reverse("admin:releases_pressrelease_history", args=[release.pk]))
    checkboxes = page.locator("input[type=radio], input[type=checkbox]")
    shoot(page, "admin_release_history")
    if checkboxes.count() >= 2:
        page.get_by_role("button", name=re.compile("Compare", re.I)).first.click()
        expect(page.locator("ins, del").first).to_be_attached()
        shoot(page, "admin_release_compare")

    page.goto(reverse("admin:releases_auditlogentry_changelist"))
    expect(page.locator("#result_list")).to_contain_text("Scheduled")
    shoot(page, "admin_audit_log")


def test_writer_editor_publisher_then_the_public_at_the_embargo_instant(
    new_page, staff, newsroom, tmp_path
):
    """Writer drafts (editor, autocomplete, two contacts, a picture) and submits;
    Editor approves; Publisher schedules 15 s ahead (the brief's "about a
    minute", shortened for test time).  Before the instant the public sees
    nothing (pages, search, feed, the release and picture URLs are 404); after
    it, with no database change, everything appears."""
    photo = make_photo(tmp_path / "mobile-clinic.jpg")

    release = writer_drafts_and_submits(new_page(), newsroom, photo)
    links = ReleaseContact.objects.filter(release=release).order_by("order")
    assert [(link.contact.name, link.role) for link in links] == [
        ("Ayesha Qureshi", ReleaseContact.Role.SPOKESPERSON),
        ("Bilal Ahmed", ReleaseContact.Role.MEDIA),
    ]
    image = release.images.get()
    assert image.image.read() == photo.read_bytes()  # the original, byte for byte
    assert (image.caption, image.credit) == (
        "A mobile clinic's first day in a flooded village.",
        "© NCHR 2023/Sana Malik",
    )

    editor_approves(new_page(), release)
    publisher = new_page()
    embargo = publisher_schedules(publisher, release)
    assert list(
        AuditLogEntry.objects.filter(release=release)
        .order_by("created_at", "id")
        .values_list("action", "user__username")
    ) == [("create", "wanda"), ("submit", "wanda"), ("approve", "eddie"), ("schedule", "petra")]

    # -- The public, before the instant ------------------------------------
    # The reader keeps a normal browser HTTP cache on purpose.  Public pages
    # say "Cache-Control: public, max-age=N" with N never reaching past the
    # next embargo (0 while it is near: core.http.public_max_age), so a page
    # kept from before the instant is stale at the instant and the browser
    # asks again; its ETag changes when the embargo lifts too.  The max-age check below is what
    # makes that a guarantee rather than luck.  (Bypassing the cache instead
    # would hide exactly that bug.)
    reader = new_page()
    release_url = release.get_absolute_url()
    hidden_urls = {
        "home": reverse("home"),
        "list": reverse("search:release_list"),
        "search": f"{reverse('search:search')}?q={UNIQUE}",
    }
    for name, url in hidden_urls.items():
        response = reader.goto(url)
        assert response is not None and response.status == 200, name
        expect(reader.locator("main")).not_to_contain_text(TITLE)
        expect(reader.locator("main")).not_to_contain_text("Four mobile health teams")
        seconds_left = (embargo - timezone.now()).total_seconds()
        assert max_age(response) <= seconds_left + 1, (name, response.headers)
    expect(reader.locator(".empty-state")).to_contain_text(  # the search's page, last
        f"No published release matches “{UNIQUE}”"
    )
    feed = feedparser.parse(reader.request.get(reverse("releases:feed_rss")).body())
    assert not [e for e in feed.entries if UNIQUE in e.title]
    for url in (release_url, image.original_url, image.url("web")):
        response = reader.goto(url)
        assert response is not None and response.status == 404, (url, response and response.status)
    assert timezone.now() < embargo, "the checks ran past the embargo; raise EMBARGO_LEAD"

    # While the embargo runs: the admin screens, for the screenshots.
    admin_screens(publisher, release)

    # -- The instant passes; nobody touches the database -------------------
    time.sleep(max(0.0, (embargo - timezone.now()).total_seconds()) + 1)

    for name in ("home", "list", "search"):
        response = reader.goto(hidden_urls[name])
        assert response is not None and response.status == 200, name
        expect(reader.get_by_role("link", name=TITLE)).to_be_visible()
    feed = feedparser.parse(reader.request.get(reverse("releases:feed_rss")).body())
    assert [e.title for e in feed.entries] == [TITLE]
    assert feed.entries[0].link.endswith(release_url)

    reader.get_by_role("link", name=TITLE).click()
    expect(reader).to_have_url(re.compile(re.escape(release_url) + "$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(reader.locator(".release__body")).to_contain_text("floods washed away")
    contacts = reader.locator(".contact-box")
    expect(contacts.get_by_role("heading", name="Spokesperson")).to_be_visible()
    expect(contacts).to_contain_text("Ayesha Qureshi")
    expect(contacts).to_contain_text("ayesha.qureshi@nchr.example.org")
    expect(contacts).to_contain_text("Bilal Ahmed")
    figure = reader.locator("figure.release-figure--lead")
    picture = figure.get_by_role(
        "img", name="A doctor listens to a child's chest in a tent, families waiting outside"
    )
    expect(picture).to_be_visible()
    picture.scroll_into_view_if_needed()
    reader.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
    )
    expect(figure.locator("figcaption")).to_contain_text(
        "A mobile clinic's first day in a flooded village."
    )
    expect(figure.locator("figcaption")).to_contain_text("© NCHR 2023/Sana Malik")
    original = reader.request.get(image.original_url)
    assert original.status == 200 and original.body() == photo.read_bytes()
    shoot(reader, "e2e_release_after_embargo")

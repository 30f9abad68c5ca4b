"""The desk in a real browser: invite a colleague who then logs in, a publisher's
timeline of embargoes, and a second editor's look at a force-publish.

Screenshots: ``desk-invite.png`` and ``desk-dashboard-<role>.png``.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from releases import workflow
from releases.models import AuditLogEntry, PressRelease
from releases.roles import EDITOR, PUBLISHER, WRITER, sync_roles
from tests.alerts.support import SMTPServer
from tests.browser.support import login_admin, shoot
from tests.factories import PressReleaseFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def person(role: str, username: str) -> User:
    user = UserFactory(username=username)
    group = Group.objects.filter(name=role).first()
    if group is None:  # a transactional test flushed the roles migration's groups
        sync_roles(apps)
        group = Group.objects.get(name=role)
    user.groups.add(group)
    return user


@pytest.fixture
def smtp(settings):
    """Mail through a real local SMTP server; the invitation task runs when the request commits."""
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
        yield server.inbox


def test_an_admin_invites_a_writer_who_sets_a_password_and_logs_in(
    new_page, live_server, smtp, settings
):
    settings.NEWSROOM_SITE_URL = live_server.url
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    admin = new_page()
    login_admin(admin, "admin")
    admin.get_by_role("link", name="Invite a colleague").click()
    admin.get_by_label("Name").fill("Sana Iqbal")
    admin.get_by_label("E-mail address").fill("sana@example.org")
    admin.get_by_label("Role").select_option(WRITER)
    admin.get_by_role("button", name="Send the invitation").click()
    expect(admin.get_by_role("status")).to_contain_text("Sana Iqbal is invited")
    expect(admin.get_by_label("Set-password link")).to_have_value(re.compile(r"/admin/welcome/"))
    shoot(admin, "desk-invite")

    # A second invitation to the same address is refused, with the way out.
    admin.get_by_label("Name").fill("Sana again")
    admin.get_by_label("E-mail address").fill("SANA@example.org")
    admin.get_by_label("Role").select_option(WRITER)
    admin.get_by_role("button", name="Send the invitation").click()
    expect(admin.locator(".errorlist")).to_contain_text("was invited already")
    expect(admin.get_by_role("button", name="Send sana@example.org a new link")).to_be_visible()

    deadline = timezone.now() + datetime.timedelta(seconds=10)
    while not smtp.to("sana@example.org") and timezone.now() < deadline:
        admin.wait_for_timeout(100)
    [message] = smtp.to("sana@example.org")
    link = re.search(r"(http://\S+/admin/welcome/\S+/)", message.get_content()).group(1)

    writer = new_page()
    writer.goto(link)
    expect(writer.get_by_role("heading", name="Welcome, Sana")).to_be_visible()
    writer.get_by_label(re.compile(r"^New password:?$")).fill("a long new passphrase 42")
    writer.get_by_label("New password confirmation").fill("a long new passphrase 42")
    writer.get_by_role("button", name="Set my password").click()
    expect(writer.locator(".messagelist")).to_contain_text("Your password is set")
    writer.get_by_label("Username").fill("sana@example.org")
    writer.get_by_label("Password").fill("a long new passphrase 42")
    writer.get_by_role("button", name="Log in").click()
    expect(writer.locator("#user-tools")).to_contain_text("Welcome, Sana")
    expect(writer.get_by_role("heading", name="Your drafts")).to_be_visible()
    expect(writer.get_by_role("link", name="Write a release")).to_be_visible()
    expect(writer.get_by_role("link", name="Preview links")).to_have_count(0)
    shoot(writer, "desk-dashboard-writer")

    # The link has done its work.
    writer.goto(link)
    expect(writer.get_by_role("heading", name="This link no longer works")).to_be_visible()


def test_a_publisher_sees_the_timeline_of_embargoes(page):
    publisher = person(PUBLISHER, "publisher")
    now = timezone.now()
    for hours, title in ((50, "Budget speech embargoed"), (3, "Flood relief update")):
        PressReleaseFactory(title=title, publish_at=now + datetime.timedelta(hours=hours))
    PressReleaseFactory(title="Approved and waiting", status=PressRelease.Status.APPROVED)
    login_admin(page, "publisher")
    timeline = page.locator("#desk-scheduled")
    expect(timeline.get_by_role("heading", name=re.compile("Scheduled"))).to_be_visible()
    rows = timeline.locator(".desk-row .desk-title")
    expect(rows).to_have_text(["Flood relief update", "Budget speech embargoed"])
    expect(timeline).to_contain_text("PKT")
    expect(page.locator("#desk-approved")).to_contain_text("Approved and waiting")
    assert publisher.is_staff
    shoot(page, "desk-dashboard-publisher")


def test_a_second_editor_marks_a_force_publish_as_checked(page):
    publisher = person(PUBLISHER, "publisher")
    person(EDITOR, "editor")
    release = PressReleaseFactory(
        title="Cyclone warning",
        status=PressRelease.Status.APPROVED,
        created_by=publisher,
        publish_at=None,
    )
    workflow.force_publish(release, publisher, reason="The cyclone lands tonight.")
    login_admin(page, "editor")
    section = page.locator("#desk-second_look")
    expect(section).to_contain_text("Cyclone warning")
    expect(section).to_contain_text("The cyclone lands tonight.")
    shoot(page, "desk-dashboard-editor", doc="admin-dashboard.png")
    section.get_by_role("button", name="Mark as checked").click()
    expect(page.locator(".messagelist")).to_contain_text("second look recorded")
    expect(page.locator("#desk-second_look")).to_contain_text(
        "No force-publish waits for a second look."
    )
    entry = AuditLogEntry.objects.get(action=AuditLogEntry.Action.FORCE_PUBLISH)
    assert entry.checked_by.username == "editor"
    page.get_by_role("link", name="Cyclone warning").first.click()
    change = reverse("admin:releases_pressrelease_change", args=[release.pk])
    expect(page).to_have_url(re.compile(re.escape(change)))

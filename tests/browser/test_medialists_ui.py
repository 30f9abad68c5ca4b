"""Media lists in a real browser (issue 16): a contacts manager imports a CSV
and builds a smart list; a publisher sends a release to it from the release
list; the e-mails arrive at a real SMTP server; the providers' webhooks come
back and the send's report shows the deliveries."""

from __future__ import annotations

import base64
import json

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from medialists.models import Distribution, MediaPerson, Recipient
from releases.roles import CONTACTS_MANAGER, PUBLISHER, sync_roles
from tests.alerts.support import SMTPServer, wait_for
from tests.browser.support import login_admin, shoot
from tests.factories import PressReleaseFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SECRET = "hook:s3cret"
CSV = (
    "Full name,E-mail,Outlet,Country,Beats\n"
    "Hana Reyes,hana@example.org,Harbour Times,GB,energy\n"
    "Ivo Marsh,ivo@example.org,Valley Radio,GB,water\n"
    "Jon Kell,jon@example.org,Valley Radio,PK,energy\n"
)


@pytest.fixture
def smtp(settings):
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.ALERTS_SEND_RATE = 0
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
        settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
        yield server.inbox


@pytest.fixture
def staff():
    sync_roles(apps)
    for username, role in (("maria", CONTACTS_MANAGER), ("petra", PUBLISHER)):
        user = UserFactory(username=username, is_staff=True)
        user.groups.add(Group.objects.get(name=role))


def test_import_build_a_smart_list_send_and_read_the_report(
    new_page, staff, smtp, tmp_path, live_server
):
    release = PressReleaseFactory(title="The harbour reopens to shipping")
    csv_file = tmp_path / "journalists.csv"
    csv_file.write_text(CSV, encoding="utf-8")

    manager = new_page()
    login_admin(manager, "maria")
    manager.goto("/admin/medialists/mediaperson/import/")
    manager.locator("#id_file").set_input_files(str(csv_file))
    manager.get_by_role("button", name="Upload and map the columns").click()
    expect(manager.get_by_label("Email", exact=True)).to_have_value("1")  # guessed from "E-mail"
    manager.get_by_role("button", name="Preview the import").click()
    expect(manager.locator("#import-summary")).to_contain_text("3 will be created")
    shoot(manager, "medialists-import-preview")
    assert not MediaPerson.objects.exists()
    manager.get_by_role("button", name="Confirm the import").click()
    expect(manager.locator(".messagelist")).to_contain_text("3 created")

    manager.goto("/admin/medialists/medialist/add/")
    manager.locator("#id_name").fill("UK desk")
    manager.locator("#id_kind").select_option("smart")
    manager.locator("#id_countries").fill("gb")
    manager.get_by_role("button", name="Save and continue editing").click()
    expect(manager.locator(".field-people_now")).to_contain_text("2")
    shoot(manager, "medialists-smart-list")

    publisher = new_page()
    login_admin(publisher, "petra")
    publisher.goto("/admin/releases/pressrelease/")
    publisher.locator(f"input[name=_selected_action][value='{release.pk}']").check()
    publisher.locator("select[name=action]").select_option("send_to_media_lists")
    publisher.locator("button[name=index]").first.click()
    publisher.get_by_label("UK desk").check()
    publisher.get_by_label("Personal note").fill("The harbour story you asked about.")
    publisher.get_by_role("button", name="See who will receive it").click()
    expect(publisher.locator("#audience-count")).to_contain_text("2 journalists will receive it")
    expect(publisher.locator("#email-preview")).to_contain_text("The harbour story")
    shoot(publisher, "medialists-send-preview")
    publisher.get_by_role("button", name="Confirm and send").click()
    expect(publisher.locator(".messagelist")).to_contain_text("2 journalist(s) will get it now")

    assert wait_for(lambda: len(smtp.messages) == 2, timeout=10)
    assert sorted(m["X-Envelope-To"] for m in smtp.messages) == [
        "hana@example.org",
        "ivo@example.org",
    ]
    # The provider reports both delivered (Postmark's payload, its basic auth).
    auth = "Basic " + base64.b64encode(SECRET.encode()).decode()
    for row in Recipient.objects.all():
        answer = publisher.request.post(
            f"{live_server.url}/alerts/anymail/postmark/tracking/",
            data=json.dumps(
                {
                    "RecordType": "Delivery",
                    "MessageID": row.message_id,
                    "Recipient": row.email,
                    "DeliveredAt": "2026-12-02T10:00:00Z",
                    "Details": "",
                    "Tag": "",
                    "ServerID": 1,
                    "Metadata": {},
                }
            ),
            headers={"Authorization": auth, "Content-Type": "application/json"},
        )
        assert answer.ok
    publisher.goto(f"/admin/medialists/distribution/{Distribution.objects.get().pk}/change/")
    report = publisher.locator(".medialists-report")
    expect(report.locator("xpath=.//tr[th='Sent']/td")).to_have_text("2")
    expect(report.locator("xpath=.//tr[th='Delivered']/td")).to_have_text("2")
    shoot(publisher, "medialists-report")


def test_a_large_import_shows_its_progress_then_its_report(
    new_page, staff, tmp_path, settings, live_server
):
    """The worker's import in a real browser: the progress page (it refreshes
    itself, no script) follows a real worker process to the report."""
    import os
    import signal

    from tests.alerts.support import Worker

    settings.MEDIALISTS_IMPORT_WORKER_ROWS = 50
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    rows = "".join(f"Person {i},p{i}@example.org,Outlet {i % 3},GB\n" for i in range(120))
    csv_file = tmp_path / "many.csv"
    csv_file.write_text("Full name,E-mail,Outlet,Country\n" + rows, encoding="utf-8")
    manager = new_page()
    login_admin(manager, "maria")
    manager.goto("/admin/medialists/mediaperson/import/")
    manager.locator("#id_file").set_input_files(str(csv_file))
    manager.get_by_role("button", name="Upload and map the columns").click()
    manager.get_by_role("button", name="Preview the import").click()
    expect(manager.locator("#import-summary")).to_contain_text("120 will be created")
    manager.get_by_role("button", name="Confirm the import").click()
    expect(manager.locator("#import-state")).to_contain_text("Waiting for the worker")
    expect(manager.locator("#import-bar")).to_be_visible()
    shoot(manager, "medialists-import-progress")
    assert not MediaPerson.objects.exists()
    with SMTPServer() as server:
        worker = Worker(server, tmp_path / "worker.log", rate=0)
        worker.start()
        try:
            # No reload by the test: the page's own refresh brings the report.
            expect(manager.locator("#import-summary")).to_contain_text(
                "Imported: 120 created, 0 updated, 0 skipped.", timeout=60_000
            )
        finally:
            worker.stop(signal.SIGKILL)
            if os.environ.get("ALERTS_SHOW_WORKER_LOG"):
                print((tmp_path / "worker.log").read_text())
    shoot(manager, "medialists-import-report")
    assert MediaPerson.objects.count() == 120


def test_the_send_page_previews_the_html_email_in_a_sandboxed_frame(new_page, staff):
    release = PressReleaseFactory(title="The harbour reopens to shipping")
    from medialists.models import Consent, MediaList

    media_list = MediaList.objects.create(name="Harbour desk")
    media_list.members.add(
        MediaPerson.objects.create(
            name="Hana Reyes", email="hana@example.org", consent_basis=Consent.PROFESSIONAL
        )
    )
    publisher = new_page()
    login_admin(publisher, "petra")
    publisher.goto(f"/admin/medialists/distribution/send/{release.pk}/")
    publisher.get_by_label("Harbour desk").check()
    publisher.get_by_label("Personal note").fill("The harbour story you asked about.")
    publisher.get_by_role("button", name="See who will receive it").click()
    frame = publisher.frame_locator("#email-preview-html")
    expect(frame.locator("h1")).to_have_text("The harbour reopens to shipping")
    expect(frame.locator("body")).to_contain_text("The harbour story you asked about.")
    expect(publisher.locator("#email-preview")).to_contain_text("The harbour story")
    publisher.locator("#email-preview-html").scroll_into_view_if_needed()
    shoot(publisher, "medialists-send-html-preview")

"""End-to-end: a journalist signs up, verifies, is approved, and accepts the agreement.

Every part is real: Chromium on the live server, an aiosmtpd SMTP server
that receives the e-mails, and a task worker process (``alerts_worker``)
that sends them from the database queue.  The journalist signs up with
their profile, follows the e-mailed verification link, a contacts manager
approves them from the dashboard (the "Journalists waiting for approval"
section), the journalist signs in and accepts the embargo agreement, and
when the press office suspends them their open session ends at once.
Each journalist page is checked with axe-core.
"""

from __future__ import annotations

import re
import signal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from taggit.models import Tag

from journalists.models import AgreementAcceptance, EmbargoAgreement, Journalist
from releases.roles import CONTACTS_MANAGER
from tests.alerts.support import SMTPServer, Worker, text_part, wait_for
from tests.browser.support import PASSWORD, login_admin, shoot
from tests.workflow.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "noor@example-times.example"
AXE = Axe()


@pytest.fixture
def mail_and_worker(settings, live_server, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NEWSROOM_SITE_URL = live_server.url
    server = SMTPServer().__enter__()
    worker = Worker(server, tmp_path / "worker.log", rate=0, site_url=live_server.url)
    worker.start()
    yield server.inbox
    worker.stop(signal.SIGKILL)
    server.__exit__()


def axe_clean(page: Page, name: str) -> None:
    results = AXE.run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert not blocking, f"axe on {name}:\n" + "\n".join(
        f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in blocking
    )


def test_sign_up_verify_approval_and_agreement(new_page, mail_and_worker, live_server):
    inbox = mail_and_worker
    Tag.objects.create(name="Health", slug="health")
    Tag.objects.create(name="Floods", slug="floods")
    EmbargoAgreement.objects.create(
        version=1, text="Embargoed material stays unpublished until the time it shows."
    )
    make_user(CONTACTS_MANAGER, "maria")

    # 1. The journalist signs up.
    journalist = new_page()
    journalist.goto("/account/signup/")
    axe_clean(journalist, "sign-up")
    journalist.get_by_label("Work e-mail address").fill(EMAIL)
    journalist.get_by_label("Password (required)", exact=True).fill(PASSWORD)
    journalist.get_by_label("Password (again)").fill(PASSWORD)
    journalist.get_by_label("Your name").fill("Noor Reporter")
    journalist.get_by_label("Outlet").fill("The Example Times")
    journalist.get_by_label("Role").fill("Health correspondent")
    journalist.get_by_label("Health").check()
    journalist.get_by_label("Countries").fill("Pakistan")
    journalist.get_by_label("Languages").fill("English, Urdu")
    journalist.get_by_label("Phone").fill("0300 1234567")
    journalist.get_by_label("Link to your published work").fill("https://times.example/noor")
    shoot(journalist, "journalist-signup")
    journalist.get_by_role("button", name="Sign Up").click()
    expect(journalist.locator("h1")).to_contain_text("Verify")
    record = Journalist.objects.get(user__email=EMAIL)
    assert record.status == "pending" and not record.user.is_staff

    # 2. The verification e-mail arrives at the SMTP server; the link verifies.
    assert wait_for(lambda: inbox.to(EMAIL), timeout=30), "no verification e-mail"
    found = re.search(r"https?://\S+/account/confirm-email/\S+", text_part(inbox.to(EMAIL)[0]))
    assert found, text_part(inbox.to(EMAIL)[0])
    journalist.goto(found.group(0))
    axe_clean(journalist, "confirm e-mail")
    journalist.get_by_role("button", name="Confirm").click()
    inbox.clear()

    # 3. A contacts manager approves from the dashboard.
    staff = new_page()
    login_admin(staff, "maria")
    section = staff.locator("#desk-journalists_waiting")
    expect(section).to_contain_text("Noor Reporter")
    expect(section).to_contain_text("The Example Times")
    shoot(staff, "journalist-dashboard")
    section.get_by_role("link", name="Approve Noor Reporter").click()
    staff.get_by_role("button", name="Approve").click()
    expect(staff.locator(".messagelist")).to_contain_text("is now “approved”")
    record.refresh_from_db()
    assert record.status == "approved"
    assert wait_for(lambda: inbox.to(EMAIL), timeout=30), "no approval e-mail"
    assert "approved" in text_part(inbox.to(EMAIL)[0])

    # 4. The journalist signs in and accepts the agreement.
    journalist.goto("/account/login/")
    axe_clean(journalist, "sign-in")
    journalist.get_by_label("Email").fill(EMAIL)
    journalist.get_by_label("Password").fill(PASSWORD)
    journalist.get_by_role("button", name="Sign In").click()
    expect(journalist.locator("h1")).to_have_text("Your journalist account")
    expect(journalist.get_by_role("heading", name="Status: Approved")).to_be_visible()
    axe_clean(journalist, "account page")
    shoot(journalist, "journalist-account")
    journalist.get_by_role("link", name="Read and accept version 1").click()
    expect(journalist.locator(".agreement-text")).to_contain_text("stays unpublished")
    axe_clean(journalist, "agreement")
    shoot(journalist, "journalist-agreement")
    journalist.get_by_role("button", name="I agree").click()
    expect(journalist.locator(".messages")).to_contain_text("version 1")
    expect(journalist.get_by_text("You accepted version 1")).to_be_visible()
    assert AgreementAcceptance.objects.filter(journalist=record, agreement__version=1).exists()

    # 5. The press office suspends them: the open session ends at once.
    inbox.clear()
    staff.goto(f"/admin/journalists/journalist/{record.pk}/change/")
    staff.get_by_role("link", name="Suspend").click()
    staff.get_by_label("Reason (sent to the journalist) (required)").fill(
        "Published before the embargo lifted."
    )
    staff.get_by_role("button", name="Yes, suspend").click()
    expect(staff.locator(".messagelist")).to_contain_text("is now “suspended”")
    journalist.reload()
    expect(journalist).to_have_url(re.compile(r"/account/login/"))
    assert wait_for(lambda: inbox.to(EMAIL), timeout=30), "no suspension e-mail"
    assert "Published before the embargo lifted." in text_part(inbox.to(EMAIL)[0])

"""Done when: an approved journalist reads an embargoed release before its instant.

Everything is real: Chromium on the live server, an aiosmtpd SMTP server, and
a worker process (``manage.py alerts_worker``) that sends the advance notice
from the database queue.  The journalists sign in through their own sign-in
page (django-allauth), with a verified address, as a person does.

An approved journalist within the release's beat gets the advance-notice
e-mail (EMBARGOED in subject and body), follows its link, reads the release
with the embargo banner and downloads its picture before the instant; a
colleague suspended mid-session is refused at the next page; after the
instant (a short embargo, waited for) the same URL is the public page.
"""

from __future__ import annotations

import re
import signal
import time

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import Page, expect

from journalists.models import Journalist
from pressroom import tasks
from releases.models import PressRelease
from tests.alerts.support import SMTPServer, Worker, text_part, wait_for
from tests.browser.support import PASSWORD, shoot
from tests.factories import ReleaseImageFactory
from tests.pressroom.support import embargoed_release, make_journalist, open_access

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Long enough for the worker to start and the e-mail to arrive on a busy machine.
EMBARGO_SECONDS = 60


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


def signed_in_page(new_page, journalist: Journalist, live_server) -> Page:
    """A browser of this journalist's own, signed in through the journalists' sign-in page."""
    EmailAddress.objects.update_or_create(
        user=journalist.user,
        email=journalist.user.email,
        defaults={"verified": True, "primary": True},
    )
    page = new_page()
    page.goto("/account/login/")
    page.get_by_label("Email").fill(journalist.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator("h1")).to_have_text("Your journalist account")
    return page


def test_journalist_gets_the_notice_reads_early_and_the_url_turns_public(
    new_page, live_server, mail_and_worker
):
    inbox = mail_and_worker
    release = embargoed_release(
        hours=EMBARGO_SECONDS / 3600,
        title="River basin flood warning system switched on",
        tags=("Floods",),
        summary="A new warning system covers the lower river basin.",
    )
    ReleaseImageFactory(release=release, image__width=640, image__height=480)
    ayesha = make_journalist("ayesha_reporter", name="Ayesha Reporter", beats=("Floods",))
    bilal = make_journalist("bilal_reporter", name="Bilal Reporter", beats=("Floods",))
    access = open_access(release, beats=("Floods",))
    tasks.plan(access)  # as the admin does on save: the worker sends it now

    assert wait_for(lambda: len(inbox.to(ayesha.user.email)) == 1, timeout=30), "no notice"
    (notice,) = inbox.to(ayesha.user.email)
    assert notice["Subject"].startswith("EMBARGOED until ")
    assert "EMBARGOED UNTIL" in text_part(notice)
    link = re.search(rf"{re.escape(live_server.url)}/releases/\S+/", text_part(notice)).group()

    page = signed_in_page(new_page, ayesha, live_server)
    page.goto(link)
    banner = page.locator("[data-embargo-banner]")
    expect(banner).to_contain_text("EMBARGOED UNTIL")
    expect(banner).to_contain_text("not for publication or broadcast before then")
    expect(page.get_by_role("heading", level=1)).to_have_text(release.title)
    picture = page.locator("figure img").first
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.naturalWidth") > 0
    with page.expect_download() as download:
        page.locator("a.download").first.click()
    assert download.value.suggested_filename.endswith(".jpg")
    assert timezone.now() < release.publish_at, "the machine was too slow for this embargo"
    shoot(page, "pressroom-embargoed-release")
    page.goto("/press-room/")
    expect(page.locator("[data-pressroom-list]")).to_contain_text(release.title)
    shoot(page, "pressroom-list")

    # A colleague reads it, is suspended, and the next page refuses them.
    colleague = signed_in_page(new_page, bilal, live_server)
    colleague.goto(release.get_absolute_url())
    expect(colleague.locator("[data-embargo-banner]")).to_be_visible()
    Journalist.objects.filter(pk=bilal.pk).update(status=Journalist.Status.SUSPENDED)
    response = colleague.reload()
    assert response.status == 404
    expect(colleague.locator("body")).not_to_contain_text(release.title)
    colleague.goto("/press-room/")
    expect(colleague.locator("[data-pressroom-refusal]")).to_contain_text("suspended")
    shoot(colleague, "pressroom-suspended")

    # After the instant, the address she noted is the public page.
    time.sleep(max(0.0, (release.publish_at - timezone.now()).total_seconds()) + 1)
    assert PressRelease.objects.published().filter(pk=release.pk).exists()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(release.title)
    expect(page.locator("[data-embargo-banner]")).to_have_count(0)
    shoot(page, "pressroom-now-public")
    assert len(inbox.to(ayesha.user.email)) == 1  # exactly once
    assert len(inbox.to(bilal.user.email)) == 1  # sent before the suspension

"""End-to-end, on a phone: a journalist follows a filtered list by e-mail.

Every part is real: Chromium at phone width on the live server, an aiosmtpd
SMTP server that receives the e-mails, and a real task worker process
(``manage.py alerts_worker`` → django-tasks-db) that sends the confirmation
and the alert from the database queue, as in production.

The journalist narrows the public list to one organisation, clicks "Get
these by e-mail", subscribes (immediately), confirms from the e-mail that
arrived, gets the alert for a matching release (and nothing for another
organisation's), and stops it with the e-mail's one-click unsubscribe link.
A colleague's mail program uses the ``List-Unsubscribe`` header the RFC 8058
way (a cookie-less POST of ``List-Unsubscribe=One-Click``).  A release
published after both left reaches neither.
"""

from __future__ import annotations

import re
import signal

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from alerts.models import AlertRun, Delivery, Subscription, Suppression
from core.dates import house_datetime
from releases import workflow
from releases.models import PressRelease
from tests.alerts.support import SMTPServer, Worker, follow, text_part, wait_for
from tests.browser.conftest import PHONE
from tests.browser.support import login_admin, shoot
from tests.factories import OrganisationFactory, PressReleaseFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNALIST = "reporter@daily.example.org"
COLLEAGUE = "desk@daily.example.org"


@pytest.fixture
def mail_and_worker(settings, live_server, tmp_path):
    """The SMTP server, and one worker whose links point at the live server."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NEWSROOM_SITE_URL = live_server.url
    server = SMTPServer().__enter__()
    worker = Worker(server, tmp_path / "worker.log", rate=0, site_url=live_server.url)
    worker.start()
    yield server.inbox
    worker.stop(signal.SIGKILL)
    server.__exit__()


def link_in(message, pattern: str) -> str:
    """The first link of the plain-text part whose path matches ``pattern``."""
    found = re.search(rf"https?://\S+{pattern}\S*", text_part(message))
    assert found, f"no {pattern} link in:\n{text_part(message)}"
    return found.group().rstrip(".,)>")


def published_by_workflow(organisation, title: str) -> PressRelease:
    """An approved release of ``organisation``, published by an editor."""
    release = PressReleaseFactory(
        title=title,
        status=PressRelease.Status.APPROVED,
        publish_at=None,
        organisations=[organisation],
    )
    boss = User.objects.filter(username="boss").first() or User.objects.create_superuser(
        "boss", "boss@example.org", "x"
    )
    workflow.publish(release, boss)
    return release


def test_journalist_subscribes_on_a_phone_confirms_gets_the_alert_and_unsubscribes(
    new_page, mail_and_worker
):
    inbox = mail_and_worker
    water = OrganisationFactory(name="Ministry of Water", slug="water")
    roads = OrganisationFactory(name="Roads Authority", slug="roads")
    published_by_workflow(water, "Dams reach their highest level in a decade")
    published_by_workflow(roads, "Motorway toll plazas go cashless")

    page: Page = new_page(viewport=PHONE)
    page.goto("/releases/?organisation=water")
    expect(page.locator(".release-list")).to_contain_text("Dams reach their highest level")
    expect(page.locator(".release-list")).not_to_contain_text("Motorway toll")
    page.get_by_role("link", name="Get these by e-mail").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Get these by e-mail")
    expect(page.locator(".lede")).to_contain_text("Ministry of Water")
    page.get_by_label("Your e-mail address").fill(JOURNALIST)
    page.get_by_label("Immediately").check()
    # The digest hour's zone is the newsroom's until the journalist changes it.
    expect(page.get_by_label("Your time zone")).to_have_value(settings.TIME_ZONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the form scrolls sideways on a phone ({width}px)"
    shoot(page, "alerts-subscribe-phone")
    page.get_by_role("button", name="Get these by e-mail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")

    # The worker sends the confirmation, and nothing else, to the new address.
    assert wait_for(lambda: inbox.to(JOURNALIST), timeout=30), "no confirmation e-mail"
    (confirmation,) = inbox.to(JOURNALIST)
    assert confirmation["Subject"].startswith("Confirm your e-mail alerts")
    page.goto(link_in(confirmation, "/alerts/confirm/"))
    page.get_by_role("button", name="Confirm these e-mail alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your e-mail alerts are on")
    subscription = Subscription.objects.get(subscriber__email=JOURNALIST)
    assert subscription.confirmed_at is not None
    assert "water" in str(subscription.query)
    assert subscription.frequency == "immediate"

    follow(COLLEAGUE, {"organisation": "water"})
    inbox.clear()
    release = published_by_workflow(water, "Reservoir levels allow a full sowing season")
    published_by_workflow(roads, "New bypass opens to traffic")
    assert wait_for(lambda: inbox.to(JOURNALIST) and inbox.to(COLLEAGUE), timeout=30)
    assert wait_for(
        lambda: (
            AlertRun.objects.filter(release__title__startswith="New bypass")
            .exclude(finished_at=None)
            .exists()
        ),
        timeout=30,
    )
    (alert,) = inbox.to(JOURNALIST)
    assert alert["Subject"] == release.title
    assert [m["Subject"] for m in inbox.messages if "bypass" in m["Subject"]] == []
    header = alert["List-Unsubscribe"].strip()
    assert header.startswith("<") and header.endswith(">")
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header[1:-1] == link_in(alert, "/alerts/unsubscribe/")

    # The colleague's mail program: RFC 8058's POST to the header's URL, no cookie.
    (colleague_alert,) = inbox.to(COLLEAGUE)
    one_click = colleague_alert["List-Unsubscribe"].strip()[1:-1]
    answer = page.context.request.post(
        one_click,
        form={"List-Unsubscribe": "One-Click"},
        headers={"Cookie": ""},
    )
    assert answer.status == 200, answer.text()
    assert not Subscription.objects.filter(subscriber__email=COLLEAGUE).exists()

    # The journalist: the link in the e-mail, then one button.
    page.goto(link_in(alert, "/alerts/unsubscribe/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe")
    expect(page.locator(".lede")).to_contain_text("Ministry of Water")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    shoot(page, "alerts-unsubscribed-phone")
    assert not Subscription.objects.filter(subscriber__email=JOURNALIST).exists()

    # Unsubscribed is unsubscribed: the next matching release reaches no one.
    inbox.clear()
    later = published_by_workflow(water, "Canal lining work starts in the south")
    assert wait_for(
        lambda: AlertRun.objects.filter(release=later).exclude(finished_at=None).exists(),
        timeout=30,
    )
    assert inbox.messages == []


def test_staff_find_a_bounced_address_in_the_outbox_and_read_its_history(page: Page):
    """A press officer asks "why did Jo not get our release?": the outbox
    answers, from the deliveries list, by status, then by address."""
    UserFactory(username="chief", is_staff=True, is_superuser=True)
    release = PressReleaseFactory(title="Dams reach their highest level in a decade")
    jo = follow("jo@daily.example.org", {"organisation": "water"}).subscriber
    Delivery.objects.create(
        release=release, subscriber=jo, status="bounced", error="550 5.1.1 No such user"
    )
    Suppression.objects.create(email=jo.email, reason="bounced", source="smtp")
    for n in range(3):
        Delivery.objects.create(
            release=release,
            subscriber=follow(f"reader{n}@example.org").subscriber,
            status="sent",
            sent_at=timezone.now(),
        )

    login_admin(page, "chief")
    page.goto(reverse("admin:alerts_delivery_changelist"))
    page.get_by_role("link", name="Outbox").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outbox")
    page.get_by_role("link", name="Bounced: 1").click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("550 5.1.1 No such user")
    expect(rows.first).to_contain_text(
        house_datetime(Delivery.objects.get(subscriber=jo).created_at)
    )
    rows.first.get_by_role("link", name=jo.email).click()
    expect(page.get_by_role("heading", name=f"History of {jo.email}")).to_be_visible()
    expect(page.locator(".errornote")).to_contain_text("Hard bounce")
    expect(page.get_by_role("table", name="Subscriptions and consent")).to_contain_text(
        "Immediately"
    )
    shoot(page, "alerts-outbox-history")

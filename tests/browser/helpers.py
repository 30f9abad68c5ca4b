"""Steps shared by browser tests (and by the end-to-end flows to come).

Keep each step small and named as a user would say it, so a new flow
(writer drafts -> editor approves -> publisher schedules) reads as a list
of steps: ``login_admin(page, writer)``, ``open_admin_add(page, ...)``...
"""

from __future__ import annotations

from django.template import TemplateDoesNotExist
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's password


def login_admin(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real admin login form (throttled by axes)."""
    page.goto(reverse("admin:login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text(username, ignore_case=True)


def logout_admin(page: Page) -> None:
    page.locator("#logout-form button").click()


def page_is_built(url: str) -> tuple[bool, str]:
    """Whether ``url`` renders a full HTML page on this branch.

    Some public pages are built on other branches; until they are merged the
    browser tests for them are skipped (with this reason), not failed.
    """
    client = Client(raise_request_exception=True)
    try:
        response = client.get(url)
    except TemplateDoesNotExist as exc:
        return False, f"template {exc} is not on this branch yet"
    body = response.content.decode(errors="replace").lower()
    if response.status_code == 200 and "<html" not in body:
        return False, f"{url} is still a placeholder (no <html> element)"
    return True, ""

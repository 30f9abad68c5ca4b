"""Accessibility (axe-core) and phone layout of the public pages, in Chromium.

axe-core comes bundled with axe-playwright-python (no download).  A page
passes when axe finds no *serious* or *critical* violation; the assertion
lists each violation's rule id and the elements it hit.
"""

from __future__ import annotations

import contextlib
import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tests.browser.conftest import PHONE, VIEWPORTS
from tests.browser.support import page_is_built
from tests.factories import (
    MediaContactFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PressReleaseFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}
AXE = Axe()


@pytest.fixture
def public_urls() -> dict[str, str]:
    """One of each public page, with realistic content behind it."""
    organisation = OrganisationFactory(
        name="Provincial Disaster Management Authority", acronym="PDMA", slug="pdma"
    )
    contact = MediaContactFactory(organisation=organisation, name="Amina Rauf")
    partnership = PartnershipFactory(title="Flood response partnership", slug="flood-response")
    PartnershipMemberFactory(partnership=partnership, organisation=organisation)
    release = PressReleaseFactory(
        title="Relief reaches families in flood-hit districts",
        slug="relief-reaches-families",
        organisations=[organisation],
        contacts=[contact],
        tags=["floods", "shelter"],
        publish_at=timezone.now() - datetime.timedelta(days=1),
    )
    release.partnerships.add(partnership)
    urls = {
        "home": reverse("home"),
        "release-list": reverse("search:release_list"),
        "release": release.get_absolute_url(),
        "organisation": organisation.get_absolute_url()
        if hasattr(organisation, "get_absolute_url")
        else reverse("releases:organisation_detail", kwargs={"slug": organisation.slug}),
        "contacts": reverse("contacts:contact_list"),
        "partnerships": reverse("contacts:partnership_list"),
        "partnership": reverse("releases:partnership_detail", kwargs={"slug": partnership.slug}),
        "not-found": "/this-page-does-not-exist/",
        "admin-login": reverse("admin:login"),
    }
    with contextlib.suppress(NoReverseMatch):  # search is built on another branch
        urls["search"] = reverse("search:search") + "?q=flood"
    return urls


PAGES = [
    "home",
    "release-list",
    "release",
    "organisation",
    "contacts",
    "partnerships",
    "partnership",
    "search",
    "not-found",
    "admin-login",
]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} -> {targets}")
    return "\n".join(lines)


@VIEWPORTS
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(page, public_urls, name, viewport, console):
    if name not in public_urls:
        pytest.skip(f"{name} page does not exist on this branch")
    url = public_urls[name]
    built, reason = page_is_built(url)
    if not built:
        pytest.skip(reason)

    response = page.goto(url)
    assert response is not None
    assert response.status == (404 if name == "not-found" else 200)

    results = AXE.run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe on {name} ({viewport['width']}px):\n" + format_violations(blocking)

    if viewport == PHONE and not name.startswith("admin"):
        # Nothing wider than the phone: no sideways scrolling to read a release.
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px on a phone"

    console.assert_no_csp_violations()

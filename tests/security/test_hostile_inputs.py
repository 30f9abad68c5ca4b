"""Hostile input on every public parameter: never a 500, never reflected raw.

Each public URL that takes query parameters gets SQL fragments, markup,
10 000-character strings, invalid UTF-8 and NUL percent-encodings, absurd
page numbers and Unicode direction overrides.  The answer must be a normal
page, a 400 or a 404, and the raw ``<script>`` must never come back unescaped.
"""

from __future__ import annotations

import contextlib
from urllib.parse import quote

import pytest
from django.template import TemplateDoesNotExist
from django.urls import NoReverseMatch, reverse

from tests.factories import MediaContactFactory, OrganisationFactory, PressReleaseFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"

#: Query-string values, already percent-encoded as they would arrive.
HOSTILE_VALUES = {
    "sql": quote("' OR 1=1 --"),
    "sql-union": quote("1 UNION SELECT username, password FROM auth_user--"),
    "script": quote(SCRIPT),
    "attribute-break": quote('"><script>alert(1)</script>'),
    "long": "a" * 10_000,
    "invalid-utf8": "%ff%fe",
    "overlong-utf8": "%c0%af",
    "nul": "%00",
    "nul-inside": "abc%00def",
    "negative": "-1",
    "zero": "0",
    "huge": "99999999999999999999",
    "float": "1.5e308",
    "rtl-override": quote("\u202etxt.exe\u202c"),
    "zero-width": quote("\u200b\u200d\ufeff"),
    "empty": "",
    "array": "x&{param}=y",  # the parameter given twice
}

#: Public list pages and the parameters they read (or might read: unknown
#: parameters must be harmless too).
PARAMETERS = ["page", "q", "organisation", "tag", "year", "month", "place", "sort", "type"]


def public_urls() -> list[str]:
    urls = [
        "/",
        reverse("search:release_list"),
        reverse("releases:organisation_detail", kwargs={"slug": "hostile-org"}),
        reverse("contacts:contact_list"),
        reverse("releases:organisation_list"),
        reverse("contacts:partnership_list"),
    ]
    with contextlib.suppress(NoReverseMatch):  # the search page is built on another branch
        urls.append(reverse("search:search"))
    return urls


@pytest.fixture
def content():
    organisation = OrganisationFactory(slug="hostile-org", name="Hostile Input Test Organisation")
    contact = MediaContactFactory(organisation=organisation)
    PressReleaseFactory(organisations=[organisation], contacts=[contact])
    return organisation


def fetch(client, url: str):
    """GET ``url``; skip (not fail) while the page's template is not merged yet."""
    try:
        return client.get(url)
    except TemplateDoesNotExist as exc:
        pytest.skip(f"template {exc} not on this branch yet")


def assert_safe(response) -> None:
    assert response.status_code in {200, 400, 404}, response.status_code
    body = response.content.decode("utf-8", errors="replace")
    assert SCRIPT not in body
    assert "<script>alert(1)" not in body


@pytest.mark.parametrize("url", public_urls())
@pytest.mark.parametrize("kind", sorted(HOSTILE_VALUES))
def test_hostile_query_values(client, content, url, kind):
    for param in PARAMETERS:
        value = HOSTILE_VALUES[kind].format(param=param)
        assert_safe(fetch(client, f"{url}?{param}={value}"))


@pytest.mark.parametrize("url", public_urls())
def test_hostile_parameter_names(client, content, url):
    for name in (quote(SCRIPT), "%00", "%ff", "a" * 5000):
        assert_safe(fetch(client, f"{url}?{name}=1"))


@pytest.mark.parametrize("kind", sorted(HOSTILE_VALUES))
def test_hostile_values_for_the_organisation_filter_of_contacts(client, content, kind):
    value = HOSTILE_VALUES[kind].format(param="organisation")
    assert_safe(fetch(client, f"{reverse('contacts:contact_list')}?organisation={value}"))


@pytest.mark.parametrize(
    "path",
    [
        "/releases/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
        "/releases/' OR 1=1 --/",
        "/releases/%ff%fe/",
        "/releases/%00/",
        "/organisations/%ff/",
        "/organisations/" + "a" * 5000 + "/",
        "/partnerships/%E2%80%AEevil/",
    ],
)
def test_hostile_paths(client, content, path):
    assert_safe(fetch(client, path))


@pytest.mark.parametrize("kind", sorted(HOSTILE_VALUES))
def test_admin_login_with_hostile_credentials(client, kind, settings):
    """The admin login (and axes, which records usernames) must cope too."""
    from urllib.parse import unquote

    value = unquote(HOSTILE_VALUES[kind].format(param="username"), errors="replace")
    response = client.post(
        reverse("admin:login"), {"username": value, "password": value}, REMOTE_ADDR="192.0.2.1"
    )
    assert_safe(response)
    assert "_auth_user_id" not in client.session

"""The journalists' pages through the Nu HTML Checker, signed out and signed in
(the public crawl of tests/public/test_validators.py cannot sign in)."""

from __future__ import annotations

import json
import subprocess

import pytest

from journalists.models import EmbargoAgreement
from tests.journalists.support import sign_in
from tests.public.test_validators import nu_checker  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

SIGNED_OUT = ["/account/login/", "/account/signup/", "/account/password/reset/"]
SIGNED_IN = [
    "/journalists/account/",
    "/journalists/agreement/",
    "/journalists/account/delete/",
    "/account/2fa/",
    "/account/sessions/",
    "/account/password/change/",
    "/account/email/",
]


def test_journalist_pages_pass_the_nu_html_checker(client, approved, nu_checker, tmp_path):  # noqa: F811
    EmbargoAgreement.objects.create(version=1, text="First line.\n\nSecond paragraph.")
    pages = {path: client.get(path) for path in SIGNED_OUT}
    # A sign-up with mistakes: the page with its error messages.
    pages["signup with errors"] = client.post("/account/signup/", {"email": "x", "phone": "?"})
    sign_in(client, approved.email)
    pages.update({path: client.get(path) for path in SIGNED_IN})
    files = {}
    for number, (path, response) in enumerate(pages.items()):
        assert response.status_code == 200, path
        file = tmp_path / f"page-{number:03}.html"
        file.write_text(response.content.decode(), encoding="utf-8")
        files[file.name] = path
    result = subprocess.run(
        ["java", "-Xss8m", "-jar", str(nu_checker), "--format", "json",
         *map(str, sorted(tmp_path.glob("page-*.html")))],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    messages = json.loads(result.stderr)["messages"]
    problems = [
        f"{files.get(str(m.get('url')).rsplit('/', 1)[-1])}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or "role is unnecessary" in m["message"]
    ]
    assert not problems, "\n".join(problems[:40])

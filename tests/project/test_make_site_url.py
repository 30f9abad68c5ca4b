"""``make run PORT=…`` gives the site the address it is served on (issue 19, item 8).

Feeds, sitemaps, vCards, e-mailed links and the printed admin login hint are
built on NEWSROOM_SITE_URL; in development it follows HOST and PORT, and a
value set in the environment still wins. Read from ``make -n`` (what make
would run), so the test starts no server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _manage_lines(*args: str, env: dict[str, str] | None = None) -> list[str]:
    environment = {k: v for k, v in os.environ.items() if k != "NEWSROOM_SITE_URL"}
    environment.update(env or {})
    result = subprocess.run(
        ["make", "-n", "-B", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environment,
        check=True,
        timeout=60,
    )
    return [line for line in result.stdout.splitlines() if "manage.py" in line]


def test_every_development_command_gets_the_port_it_serves_on():
    lines = _manage_lines("run", "PORT=8123")
    commands = {"migrate", "load_demo", "ensure_local_admin", "alerts_worker", "runserver"}
    assert {c for c in commands if any(f"manage.py {c}" in line for line in lines)} == commands
    for line in lines:
        assert "NEWSROOM_SITE_URL=http://127.0.0.1:8123" in line, line


def test_a_site_url_set_in_the_environment_wins():
    lines = _manage_lines("run", "PORT=8123", env={"NEWSROOM_SITE_URL": "https://news.example.org"})
    assert lines
    for line in lines:
        assert "NEWSROOM_SITE_URL=https://news.example.org" in line, line

"""Every setting the code reads is declared in settings.py, and every
environment variable settings.py reads is documented in the README.

A setting read with ``getattr(settings, NAME, default)`` has its default
hidden where it is used: a deployment cannot find it and two readers can
disagree.  These tests keep the one list (settings.py) and its table
(README) complete.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "core",
    "contacts",
    "releases",
    "search",
    "bulletins",
    "alerts",
    "importer",
    "api",
    "newsroom",
)
SETTING_READ = re.compile(r"\bsettings\.([A-Z][A-Z0-9_]+)\b")
GETATTR_READ = re.compile(r"getattr\(\s*settings\s*,")
ENV_READ = re.compile(
    r"(?:env_bool|env_list)\(\s*\"([A-Z][A-Z0-9_]+)\"|environ(?:\.get\(|\[)\s*\"([A-Z][A-Z0-9_]+)\""
)


def _app_sources() -> list[Path]:
    files = [path for app in APPS for path in (ROOT / app).rglob("*.py")]
    return [path for path in files if "migrations" not in path.parts]


def test_the_code_reads_no_setting_with_a_hidden_default():
    offenders = [
        str(path.relative_to(ROOT))
        for path in _app_sources()
        if GETATTR_READ.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], f"read settings as settings.NAME, declared in settings.py: {offenders}"


def test_every_setting_the_code_reads_is_declared():
    names = {
        name
        for path in _app_sources()
        if path.name != "settings.py"
        for name in SETTING_READ.findall(path.read_text(encoding="utf-8"))
    }
    assert "NEWSROOM_SITE_URL" in names  # the scan finds what it should
    missing = sorted(name for name in names if not hasattr(settings, name))
    assert missing == [], f"read but not declared in newsroom/settings.py: {missing}"


def test_every_environment_variable_is_in_the_readme_table():
    source = (ROOT / "newsroom" / "settings.py").read_text(encoding="utf-8")
    variables = {a or b for a, b in ENV_READ.findall(source)}
    assert {"DATABASE_URL", "SECRET_KEY", "REDIS_URL"} <= variables
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table_rows = [line for line in readme.splitlines() if line.startswith("| `")]
    documented = {name for row in table_rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row)}
    missing = sorted(variables - documented)
    assert missing == [], f"read by settings.py but not in the README's table: {missing}"

"""The Urdu catalogue is complete, well formed and compiled (locale/ur).

The compiled ``.mo`` is committed, so a clean clone serves Urdu with no
build step (``make run``, a container image); this test is what keeps it from
going stale: change the ``.po`` and forget ``make translations``, and it fails.
"""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
PO = LOCALE / "ur" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "ur" / "LC_MESSAGES" / "django.mo"


def _entries(text: str) -> list[dict[str, object]]:
    """The .po's entries: flags, msgid, msgid_plural and msgstr(s), unquoted."""
    entries = []
    for block in text.strip().split("\n\n"):
        entry: dict[str, object] = {"flags": [], "msgstr": []}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] = [f.strip() for f in line[2:].split(",")]
                continue
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key, value = match.group(1), match.group(2)
                if key.startswith("msgstr"):
                    entry["msgstr"].append(value)  # type: ignore[union-attr]
                else:
                    entry[key] = value
                continue
            assert line.startswith('"') and key, f"unexpected line in {PO}: {line!r}"
            if key.startswith("msgstr"):
                entry["msgstr"][-1] += line[1:-1]  # type: ignore[index]
            else:
                entry[key] += line[1:-1]  # type: ignore[operator]
        entries.append(entry)
    return entries


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = _entries(PO.read_text(encoding="utf-8"))
    header, messages = entries[0], entries[1:]
    assert "fuzzy" not in header["flags"]
    assert len(messages) > 300
    untranslated = [e["msgid"] for e in messages if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_the_header_states_urdu_plural_forms():
    text = PO.read_text(encoding="utf-8")
    assert '"Language: ur\\n"' in text
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in text


def test_translations_keep_every_placeholder_and_tag():
    """A lost ``%(name)s`` or ``<a href>`` breaks a page in Urdu only."""
    for entry in _entries(PO.read_text(encoding="utf-8"))[1:]:
        source = entry["msgid"] + entry.get("msgid_plural", "")  # type: ignore[operator]
        wanted = sorted(set(re.findall(r"%\(\w+\)s|</?\w+", source)))
        for translated in entry["msgstr"]:  # type: ignore[union-attr]
            assert sorted(set(re.findall(r"%\(\w+\)s|</?\w+", translated))) == wanted, entry[
                "msgid"
            ]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
def test_the_compiled_catalogue_is_current(tmp_path):
    """msgfmt --check (format strings, plural forms), then the committed .mo
    must hold exactly what the .po compiles to."""
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(PO)], check=True)
    with fresh.open("rb") as f:
        wanted = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    with MO.open("rb") as f:
        committed = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    assert committed == wanted, "locale/ur is out of date: run `make translations`"

"""Shared fixtures. The database is real (SQLite or PostgreSQL by DATABASE_URL)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SEED = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "seed" / "000_d8fb0d6a1aabac54.txt"
)


@pytest.fixture
def seed_text() -> str:
    """The shared seed document; skipped with a reason where it is absent
    (and a failure in CI, where NEWSROOM_REQUIRE_SHARED=1)."""
    if not SEED.exists():
        if os.environ.get("NEWSROOM_REQUIRE_SHARED") == "1":
            pytest.fail(f"NEWSROOM_REQUIRE_SHARED=1 but the seed is missing at {SEED}")
        pytest.skip(f"shared seed not present at {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """Tests make users by the dozen and log them in; PBKDF2's deliberate
    slowness would dominate the run.  Set once, here, for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files of a test go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_state_memo(settings):
    """Ask the database for the content state on every request, so query
    counts are the worst case and no test sees another test's memo."""
    from newsroom.caching import forget_state

    settings.NEWSROOM_STATE_TTL = 0
    forget_state()
    from django.core.cache import caches

    caches["default"].clear()

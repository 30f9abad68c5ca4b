"""Journalists' tests: real database, real SMTP server (aiosmtpd), tasks in-process
unless a test starts a real worker."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from releases.roles import CONTACTS_MANAGER, WRITER
from tests.journalists.support import make_journalist
from tests.mail_fixtures import _mail_settings, smtp  # noqa: F401 (fixtures)
from tests.workflow.conftest import make_user


@pytest.fixture(autouse=True)
def _journalist_settings():
    caches["default"].clear()  # allauth's rate limits count there


@pytest.fixture
def contacts_manager(db):
    return make_user(CONTACTS_MANAGER, "maria")


@pytest.fixture
def writer(db):
    return make_user(WRITER, "wendy")


@pytest.fixture
def pending(db):
    return make_journalist("pat@paper.example", status="pending")


@pytest.fixture
def approved(db):
    return make_journalist("ana@wire.example", status="approved")

"""Fixtures of the desk tests: one user per role (a second editor and publisher too),
releases in each state, and a real SMTP server (aiosmtpd) for the invitation e-mail."""

from __future__ import annotations

import pytest

from releases.roles import EDITOR, PUBLISHER
from tests.alerts.support import SMTPServer
from tests.workflow.conftest import (  # noqa: F401 - fixtures shared with the workflow tests
    administrator,
    contacts_manager,
    editor,
    make_release,
    make_user,
    publisher,
    writer,
)


@pytest.fixture
def editor2(db):
    return make_user(EDITOR, "editor2")


@pytest.fixture
def publisher2(db):
    return make_user(PUBLISHER, "publisher2")


@pytest.fixture
def smtp_port():
    """A local SMTP server for another process (a worker): its inbox and port."""
    with SMTPServer() as server:
        yield server.inbox, server.port


@pytest.fixture(autouse=True)
def _site(settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"

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
def smtp(settings):
    """Django's SMTP backend pointed at a fresh local server; the inbox parses what arrives."""
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield server.inbox


@pytest.fixture(autouse=True)
def _site(settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"

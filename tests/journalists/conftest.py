"""Journalists' tests: real database, real SMTP server (aiosmtpd), tasks in-process
unless a test starts a real worker."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from releases.roles import CONTACTS_MANAGER, WRITER
from tests.alerts.support import SMTPServer
from tests.journalists.support import make_journalist
from tests.workflow.conftest import make_user


@pytest.fixture(autouse=True)
def _journalist_settings(settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    settings.ALERTS_SEND_RATE = 0
    settings.ALERTS_RETRY_BACKOFF = 0.01
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    caches["default"].clear()  # allauth's rate limits count there


@pytest.fixture
def smtp(settings):
    """Django's SMTP backend pointed at a fresh local server; the inbox parses what arrives."""
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield server.inbox


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

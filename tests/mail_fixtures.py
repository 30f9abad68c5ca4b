"""The mail fixtures every e-mail-sending test directory shares.

Imported into each directory's ``conftest.py`` (``from tests.mail_fixtures import
…``): a fixture imported into a conftest is that directory's fixture, and an
autouse one applies to all its tests.
"""

from __future__ import annotations

import pytest

from tests.alerts.support import SMTPServer


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
def _mail_settings(settings):
    """HTTPS links (RFC 8058 wants them), no throttle pause, quick retries, and
    tasks run in-process unless a test starts a real worker."""
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    settings.ALERTS_SEND_RATE = 0
    settings.ALERTS_RETRY_BACKOFF = 0.01
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

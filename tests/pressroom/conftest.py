"""Press-room tests send through a real SMTP server (aiosmtpd), like the alerts'."""

from __future__ import annotations

import pytest

from tests.alerts.support import SMTPServer


@pytest.fixture
def smtp(settings):
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield server.inbox


@pytest.fixture(autouse=True)
def _pressroom_settings(settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    settings.ALERTS_SEND_RATE = 0
    settings.ALERTS_RETRY_BACKOFF = 0.01
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

"""Alerts tests send through a real SMTP server (aiosmtpd) on a local port."""

from __future__ import annotations

import datetime

import pytest

from tests.mail_fixtures import _mail_settings, smtp  # noqa: F401 (fixtures)


@pytest.fixture
def an_hour_ago():
    from django.utils import timezone

    return timezone.now() - datetime.timedelta(hours=1)

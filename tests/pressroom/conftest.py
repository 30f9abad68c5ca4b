"""Press-room tests send through a real SMTP server (aiosmtpd), like the alerts'."""

from __future__ import annotations

from tests.mail_fixtures import _mail_settings, smtp  # noqa: F401 (fixtures)

"""Hard and soft bounces: which one an answer is, and what each does.

The one place for the rule, whether the answer came from our SMTP server
while sending or later from a provider's webhook (django-anymail):

* A **hard** bounce — the address does not exist or is disabled (SMTP 5xx to
  ``RCPT TO``, or a 5xx at ``DATA`` whose enhanced status is ``5.1.x`` or
  ``5.2.1``; a provider's permanent bounce) — suppresses the address at
  once, everywhere: nothing is sent to it again.
* A **soft** bounce — the mailbox is full or the server says "later" (4xx to
  ``RCPT`` or ``DATA``; a provider's ``deferred`` or transient bounce) — is
  retried with back-off, and only ``ALERTS_SOFT_BOUNCE_LIMIT`` of them *in a
  row* suppress the address.  A delivery in between (an SMTP server's 250,
  or a provider's ``delivered`` event) starts the count again.
* Other permanent refusals (a 5xx for the *message*: spam policy, size) fail
  that delivery only; the address is not to blame.  A server that cannot be
  reached or that refuses *us* (421, authentication) is no bounce at all.
"""

from __future__ import annotations

import re
import smtplib

from django.conf import settings
from django.db.models import F

from alerts.models import Subscriber, Suppression

HARD, SOFT, PERMANENT, TEMPORARY = "hard", "soft", "permanent", "temporary"
_ADDRESS_GONE = re.compile(r"\b5\.(1\.\d{1,3}|2\.1)\b")
_SOFT_TEXT = re.compile(r"^\s*4\d\d\b|\b4\.\d{1,3}\.\d{1,3}\b")


def classify(error: Exception) -> str:
    """``hard``, ``soft``, ``permanent`` or ``temporary`` for a send's error."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        if codes and all(400 <= code < 500 for code in codes):
            return SOFT
        return HARD if codes else PERMANENT
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPAuthenticationError):
        return TEMPORARY if 400 <= error.smtp_code < 500 else PERMANENT
    if isinstance(error, smtplib.SMTPResponseException):
        code = error.smtp_code
        if code == 421:  # the server is closing the channel: not this address
            return TEMPORARY
        if 400 <= code < 500:
            return SOFT
        text = error.smtp_error.decode(errors="replace") if error.smtp_error else ""
        return HARD if _ADDRESS_GONE.search(text) else PERMANENT
    if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
        return TEMPORARY
    return PERMANENT


def provider_event_is_soft(event_type: str, raw: object, mta_response: str | None) -> bool:
    """Whether a provider's ``bounced``/``deferred`` event is a soft bounce.

    anymail calls Postmark's ``SoftBounce`` and some providers' transient
    failures ``bounced``; the raw payload or the MTA's answer tells them apart.
    """
    if event_type == "deferred":
        return True
    if isinstance(raw, dict):
        if raw.get("Type") in ("SoftBounce", "Transient", "DnsError"):
            return True
        bounce = raw.get("bounce")
        if isinstance(bounce, dict) and bounce.get("bounceType") == "Transient":
            return True
        if str(raw.get("severity", "")).lower() == "temporary":
            return True
    return bool(mta_response and _SOFT_TEXT.search(mta_response))


def suppress(email: str, reason: str, source: str, detail: str = "") -> None:
    """Put ``email`` on the one suppression list (kept if it is there already)."""
    Suppression.objects.get_or_create(
        email=email.strip().lower()[:254],
        defaults={"reason": reason, "source": source[:100], "detail": detail[:2000]},
    )


def hard_bounce(email: str, source: str, detail: str = "") -> None:
    suppress(email, Suppression.Reason.BOUNCED, source, detail)


def soft_bounce(email: str, source: str, detail: str = "") -> bool:
    """Count one soft bounce; True when it is the one that suppresses."""
    email = email.strip().lower()[:254]
    Subscriber.objects.filter(email=email).update(soft_bounces=F("soft_bounces") + 1)
    count = Subscriber.objects.filter(email=email).values_list("soft_bounces", flat=True).first()
    if count is not None and count >= settings.ALERTS_SOFT_BOUNCE_LIMIT:
        suppress(
            email,
            Suppression.Reason.SOFT_BOUNCES,
            source,
            f"{count} soft bounces in a row; the last: {detail}",
        )
        return True
    return False


def delivered(subscriber_id: int) -> None:
    """The address took a message: its soft bounces in a row start again."""
    Subscriber.objects.filter(pk=subscriber_id, soft_bounces__gt=0).update(soft_bounces=0)


def delivered_to(email: str) -> None:
    Subscriber.objects.filter(email=email.strip().lower(), soft_bounces__gt=0).update(
        soft_bounces=0
    )

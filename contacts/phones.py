"""Phone numbers: validated and normalised with Google's libphonenumber.

Journalists copy numbers straight into a phone, so we keep the number as the
organisation wrote it ("+(92) 334 4563210") for display and store an E.164
form ("+923344563210") for ``tel:`` links, vCards and de-duplication.
"""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError


def parse_phone(value: str) -> phonenumbers.PhoneNumber:
    """Parse ``value`` or raise ``ValidationError`` with a message for staff."""
    cleaned = value.replace("+(", "+").replace("(+", "+")
    try:
        number = phonenumbers.parse(cleaned, settings.NEWSROOM_PHONE_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            "“%(value)s” is not a phone number. Write it with the country code, "
            "for example +92 51 1234567.",
            code="invalid_phone",
            params={"value": value},
        ) from exc
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(
            "“%(value)s” has the wrong number of digits for a phone number.",
            code="invalid_phone",
            params={"value": value},
        )
    return number


def validate_phone(value: str) -> None:
    """Model/form validator: accept any possible phone number."""
    if value:
        parse_phone(value)


def normalise_phone(value: str) -> str:
    """E.164 form of ``value`` ("" when empty or unparseable)."""
    if not value:
        return ""
    try:
        number = parse_phone(value)
    except ValidationError:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

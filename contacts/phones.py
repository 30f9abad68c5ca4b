"""Phone numbers: validated and normalised with Google's libphonenumber.

One rule for every number in the address book, whatever the route (admin,
importer, ``load_demo``):

* ``phone`` is stored in one international format ("+92 300 1234567"), so
  every place that prints a number — admin lists, public pages, e-mails, the
  API, vCards — shows it the same way without formatting it again;
* ``MediaContact.phone_e164`` holds the E.164 form ("+923001234567") for
  ``tel:`` links and de-duplication.

A number written without its country code ("0300 1234567") is read in the
country of ``settings.NEWSROOM_PHONE_REGION`` and the form says so
(:func:`region_note`, :func:`assumed_country_message`): a writer in another
country sees at once that their number was taken for a Pakistani one.

Numbers that are not valid are refused by the forms; old ones already in the
database are kept exactly as typed (nothing is lost): ``phone_e164`` is still
filled when the number can be dialled at all, and stays empty when it cannot
be read, which the contacts list can filter on.
"""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from phonenumbers import geocoder

_INTERNATIONAL = phonenumbers.PhoneNumberFormat.INTERNATIONAL
_E164 = phonenumbers.PhoneNumberFormat.E164


def default_region() -> str:
    """The ISO country code assumed for numbers without a country code."""
    return (settings.NEWSROOM_PHONE_REGION or "").upper()


def region_name(region: str | None = None) -> str:
    """ "Pakistan (+92)" for the default region, for messages and help texts."""
    region = region or default_region()
    code = phonenumbers.country_code_for_region(region)
    example = phonenumbers.example_number(region)
    name = geocoder.country_name_for_number(example, "en") if example else ""
    if not code:
        return region
    return f"{name or region} (+{code})"


def read_in_region(value: str) -> bool:
    """Whether ``value`` has no country code of its own ("+92…", "0092…"), so
    that libphonenumber reads it in the default region's country."""
    try:
        number = phonenumbers.parse(_clean(value), default_region(), keep_raw_input=True)
    except phonenumbers.NumberParseException:
        return False
    return number.country_code_source == phonenumbers.CountryCodeSource.FROM_DEFAULT_COUNTRY


def _clean(value: str) -> str:
    return value.replace("+(", "+").replace("(+", "+")


def parse_phone(value: str) -> phonenumbers.PhoneNumber:
    """Parse ``value`` or raise ``ValidationError`` with a message for staff.

    A number must be *valid* (a real range of numbers for its country), not
    only of a plausible length: "0000 0000000" is refused rather than saved
    and shown to journalists.
    """
    region = default_region()
    try:
        number = phonenumbers.parse(_clean(value), region, keep_raw_input=True)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            "“%(value)s” is not a phone number. Write it with the country code, "
            "for example +92 51 1234567.",
            code="invalid_phone",
            params={"value": value},
        ) from exc
    from_region = number.country_code_source == phonenumbers.CountryCodeSource.FROM_DEFAULT_COUNTRY
    assumed = f" in {region_name(region)}" if from_region else ""  # said, not silently assumed
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(
            "“%(value)s” has the wrong number of digits for a phone number%(assumed)s.%(hint)s",
            code="invalid_phone",
            params={"value": value, "assumed": assumed, "hint": _hint(assumed)},
        )
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            "“%(value)s” is not a valid phone number%(assumed)s.%(hint)s",
            code="invalid_phone",
            params={"value": value, "assumed": assumed, "hint": _hint(assumed)},
        )
    return number


def _hint(assumed: str) -> str:
    if not assumed:
        return " Check the digits."
    return (
        " Numbers without a country code are read as numbers of that country; "
        "for another country, start with + and its code (for example +44 20 7946 0958)."
    )


def validate_phone(value: str) -> None:
    """Model/form validator: accept any valid phone number."""
    if value:
        parse_phone(value)


def normalise_phone(value: str) -> str:
    """E.164 form of ``value`` ("" when empty or unreadable)."""
    number = _try_parse(value)
    return phonenumbers.format_number(number, _E164) if number else ""


def display_phone(value: str) -> str:
    """``value`` in the one format staff and journalists read:
    "+92 300 1234567".

    Only a *valid* number is rewritten.  Anything else (old data saved
    before numbers were checked) is kept exactly as written, so nothing
    typed is ever lost or turned into a wrong-looking number; the form
    refuses it with a message the next time someone edits the record.
    """
    number = _try_parse(value)
    if number is None or not phonenumbers.is_valid_number(number):
        return value
    return phonenumbers.format_number(number, _INTERNATIONAL)


def _try_parse(value: str) -> phonenumbers.PhoneNumber | None:
    """Lenient reading for stored numbers: any number of a possible length
    (enough for a ``tel:`` link).  New input must be valid
    (:func:`parse_phone`)."""
    if not value or not value.strip():
        return None
    try:
        number = phonenumbers.parse(_clean(value), default_region())
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


def region_note() -> str:
    """The help text of every phone field: says which country is assumed."""
    example = phonenumbers.example_number_for_type(
        default_region(), phonenumbers.PhoneNumberType.MOBILE
    )
    if example is None:
        return "Write the number with its country code, for example +92 51 1234567."
    national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(example, _INTERNATIONAL)
    return (
        f"Numbers written without a country code are read as {region_name()} numbers: "
        f"{national} is saved as {international}. For another country, start with + "
        "and its code."
    )


def assumed_country_message(typed: str) -> str:
    """What to tell the person who saved ``typed`` ("" when nothing was assumed)."""
    if not typed or not read_in_region(typed):
        return ""
    shown = display_phone(typed)
    if shown == typed:
        return ""
    return (
        f"The phone number “{typed}” has no country code, so it was read as a "
        f"{region_name()} number and saved as {shown}."
    )

"""Store every phone number in the one international format ("+92 300 1234567")
and its E.164 form, as ``contacts.phones`` now does on every save.

Numbers are read in the country of ``NEWSROOM_PHONE_REGION`` when they have
no country code.  A valid number is rewritten; any other is kept exactly as
typed — nothing is lost — and listed on the console, so someone can correct it
(the form asks for a valid number at the next edit).  ``phone_e164`` is
filled, as before, whenever the number can be dialled at all; the contacts
list finds those that cannot with the filter "phone number: could not be
read".

The logic is written out here rather than imported, so this migration keeps
doing what it did when ``contacts.phones`` changes later.
"""

import sys

import phonenumbers
from django.conf import settings
from django.db import migrations


def _read(value, region):
    try:
        number = phonenumbers.parse(value.replace("+(", "+").replace("(+", "+"), region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


def normalise_phones(apps, schema_editor):
    region = (settings.NEWSROOM_PHONE_REGION or "").upper()
    international = phonenumbers.PhoneNumberFormat.INTERNATIONAL
    e164 = phonenumbers.PhoneNumberFormat.E164
    unreadable = []
    for model_name, has_e164 in (("Organisation", False), ("MediaContact", True)):
        model = apps.get_model("contacts", model_name)
        for row in model.objects.exclude(phone="").only("pk", "name", "phone").iterator():
            number = _read(row.phone, region)
            changes = {}
            if has_e164:
                changes["phone_e164"] = (
                    phonenumbers.format_number(number, e164) if number is not None else ""
                )
            if number is not None and phonenumbers.is_valid_number(number):
                changes["phone"] = phonenumbers.format_number(number, international)
            else:
                unreadable.append(f"  {model_name} #{row.pk} ({row.name}): {row.phone!r}")
            if changes:
                # update(), not save(): the rows' "updated" stamps stay.
                model.objects.filter(pk=row.pk).update(**changes)
    if unreadable:
        sys.stdout.write(
            "\nThese phone numbers are not valid numbers and were kept as typed; "
            "please correct them:\n" + "\n".join(unreadable) + "\n"
        )


class Migration(migrations.Migration):
    dependencies = [("contacts", "0003_contact_requests")]

    # Nothing to undo: the numbers as written before are not needed to go back.
    operations = [migrations.RunPython(normalise_phones, migrations.RunPython.noop)]

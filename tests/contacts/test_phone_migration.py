"""The data migration that stores existing phone numbers in the one format:
every readable number rewritten, every other kept exactly as typed and
reported, nothing lost.  Runs the real migration on the test database, from
the state before it (``contacts`` 0003) to after it (0004)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("contacts", "0003_contact_requests")]
AFTER = [("contacts", "0004_normalise_phones")]


@pytest.fixture
def old_state(transactional_db):
    """Historical models as they were before the migration; the database is
    migrated back to the latest state afterwards whatever happens."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    yield executor.loader.project_state(BEFORE).apps
    call_command("migrate", verbosity=0)


def test_existing_numbers_are_normalised_and_the_rest_kept(old_state, capsys) -> None:
    Organisation = old_state.get_model("contacts", "Organisation")
    MediaContact = old_state.get_model("contacts", "MediaContact")
    org = Organisation.objects.create(name="IOM Pakistan", slug="iom", phone="051 9204567")
    rows = {
        "local": "0300 1234567",
        "brackets": "+(92) 334 4563210",
        "international": "+44 20 7946 0958",
        "words": "ask the reception desk",
        "invalid": "+92 51 1234567",
        "none": "",
    }
    for name, phone in rows.items():
        MediaContact.objects.create(
            name=name, organisation=org, phone=phone, phone_e164="stale", email=f"{name}@x.org"
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    after = executor.loader.project_state(AFTER).apps
    stored = {
        c.name: (c.phone, c.phone_e164)
        for c in after.get_model("contacts", "MediaContact").objects.all()
    }
    assert stored == {
        "local": ("+92 300 1234567", "+923001234567"),
        "brackets": ("+92 334 4563210", "+923344563210"),
        "international": ("+44 20 7946 0958", "+442079460958"),
        # Kept exactly as typed; a number that can be dialled still gets its tel: form.
        "words": ("ask the reception desk", ""),
        "invalid": ("+92 51 1234567", "+92511234567"),
        "none": ("", "stale"),  # rows without a number are not touched
    }
    assert after.get_model("contacts", "Organisation").objects.get().phone == "+92 51 9204567"
    report = capsys.readouterr().out
    assert "kept as typed" in report
    assert "'ask the reception desk'" in report and "'+92 51 1234567'" in report
    assert "0300 1234567" not in report

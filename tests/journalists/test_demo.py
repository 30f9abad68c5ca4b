"""The demo content has an approved journalist who accepted agreement v1 (``make run``)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from journalists.access import trusted_journalist
from journalists.models import EmbargoAgreement, Journalist

pytestmark = pytest.mark.django_db


def test_load_demo_makes_an_approved_journalist_once():
    call_command("load_demo", stdout=StringIO())
    (journalist,) = Journalist.objects.all()
    assert journalist.status == "approved" and not journalist.user.is_staff
    assert not journalist.user.has_usable_password()
    assert {t.name for t in journalist.beats.all()} == {"migration", "human trafficking"}
    assert EmbargoAgreement.current().version == 1
    assert trusted_journalist(journalist.user) == journalist

    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "0 created, 0 updated, 0 deleted" in out.getvalue()

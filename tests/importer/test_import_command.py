"""The import_releases command end to end, on a real database."""

from __future__ import annotations

import datetime
import html
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bulletins.models import Bulletin, BulletinItem
from contacts.models import MediaContact, Organisation
from importer.models import ImportRecord
from releases.models import PressRelease, ReleaseContact
from tests.factories import OrganisationFactory

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SAMPLE_FILES = sorted(p for p in SAMPLES.iterdir() if p.suffix in {".txt", ".md", ".docx"})
SEED_TITLES = [
    "NCHR and IOM Pakistan sign an MoU to strengthen cooperation on initiatives relating to "
    "promotion and protection of human rights of migrants",
    "IOM Pakistan Empowers Stakeholders through Comprehensive Trainings to Combat Human "
    "Trafficking and Migrant Smuggling",
]
MODELS = [
    PressRelease,
    Organisation,
    MediaContact,
    ReleaseContact,
    Bulletin,
    BulletinItem,
    ImportRecord,
]

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_releases", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seed_file(seed_text, tmp_path) -> Path:
    path = tmp_path / "media-update.txt"
    path.write_text(seed_text, encoding="utf-8")
    return path


def _plain(value: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", "\n", value))
    return re.sub(r"[ \t]+", " ", text)


def test_seed_imports_as_one_bulletin_of_two_drafts(seed_file, seed_text):
    run(str(seed_file))
    bulletin = Bulletin.objects.get()
    assert bulletin.date == datetime.date(2023, 10, 19)
    assert bulletin.title == "Media Update — 19 October 2023"
    releases = [item.release for item in bulletin.items.order_by("order")]
    assert [r.title for r in releases] == SEED_TITLES
    assert all(r.status == PressRelease.Status.DRAFT and r.publish_at is None for r in releases)
    assert PressRelease.objects.published().count() == 0
    first, second = releases
    assert (first.dateline_place, first.dateline_date) == ("Islamabad", datetime.date(2023, 10, 18))
    assert (second.dateline_place, second.dateline_date) == (
        "Islamabad",
        datetime.date(2023, 9, 25),
    )
    assert [o.short_name for o in first.issuing_organisations] == ["IOM Pakistan", "NCHR"]
    assert [o.short_name for o in second.issuing_organisations] == ["IOM Pakistan", "FIA"]
    nchr = Organisation.objects.get(acronym="NCHR")
    assert nchr.name == "National Commission for Human Rights"
    assert "federal statutory body" in nchr.about
    iom = Organisation.objects.get(acronym="IOM")
    assert "175 member states" in iom.about
    iom_pakistan = Organisation.objects.get(name="IOM Pakistan")
    assert iom_pakistan.parent == iom
    assert iom_pakistan.email == "iomislamabad@iom.int"
    assert iom_pakistan.website == "https://www.iom.int/pakistan"
    assert Organisation.objects.get(acronym="FIA").name == "Federal Investigation Agency"
    assert sorted(MediaContact.objects.values_list("email", flat=True)) == [
        "rnadeem@iom.int",
        "spaklar@iom.int",
        "zunaira@nchr.gov.pk",
    ]
    media = MediaContact.objects.get(email="rnadeem@iom.int")
    assert media.phone_e164 == "+923344563210"
    assert media.job_title == "Media & Communications Assistant"
    assert media.organisation == iom_pakistan
    assert ReleaseContact.objects.get(contact=media).role == ReleaseContact.Role.MEDIA
    paklar = MediaContact.objects.get(email="spaklar@iom.int")
    assert (paklar.honorific, paklar.name) == ("Ms.", "Suzana Paklar")
    assert MediaContact.objects.get(email="zunaira@nchr.gov.pk").organisation == nchr

    # No paragraph lost: every non-empty line is somewhere in the output.
    record = ImportRecord.objects.get()
    stored = "\n".join(
        [bulletin.title, bulletin.intro, record.report]
        + [f"{r.title}\n{r.summary}\n{_plain(r.body)}" for r in releases]
        + [
            _plain(o.about) + f"\n{o.name}\n{o.email}\n{o.website}"
            for o in Organisation.objects.all()
        ]
        + [
            f"{c.full_name}\n{c.job_title}\n{c.email}\n{c.phone}"
            for c in MediaContact.objects.all()
        ]
    )
    body_text = "\n".join(_plain(r.body) for r in releases)
    datelines = re.findall(r"dateline “([^”]+)”", record.report)
    assert len(datelines) == 2
    for line in filter(None, (ln.strip() for ln in seed_text.splitlines())):
        dateline = next((d for d in datelines if line.startswith(d)), None)
        if dateline:  # the place and date became fields; the rest opens the body
            assert line[len(dateline) :].strip() in body_text, line
            continue
        assert line in stored, line
        if len(line) > 200 and not line.startswith("About "):
            # Long paragraphs are body text: they must be in a body, not only the report.
            assert line in body_text or line.split(" ", 4)[-1] in body_text, line


def test_reimport_changes_nothing(seed_file):
    run(str(seed_file))
    before = counts()
    out = run(str(seed_file))
    assert "already imported on" in out
    assert counts() == before


def test_dry_run_writes_nothing(seed_file):
    before = counts()
    out = run(str(seed_file), "--dry-run")
    assert "DRY RUN" in out and "Release 2:" in out
    assert counts() == before
    run(str(seed_file))  # and a dry run does not count as an import
    assert PressRelease.objects.count() == 2


def test_existing_organisations_and_contacts_are_matched(seed_file):
    nchr = OrganisationFactory(name="National Commission for Human Rights", acronym="NCHR")
    nchr.about = "<p>Our own boilerplate.</p>"
    nchr.save()
    MediaContact.objects.create(name="Zunaira Inam", organisation=nchr, email="ZUNAIRA@nchr.gov.pk")
    run(str(seed_file))
    assert Organisation.objects.filter(acronym__iexact="nchr").count() == 1
    assert MediaContact.objects.filter(email__iexact="zunaira@nchr.gov.pk").count() == 1
    nchr.refresh_from_db()
    assert nchr.about == "<p>Our own boilerplate.</p>"  # kept; the imported one goes to review
    record = ImportRecord.objects.get()
    assert "About NCHR" in record.review_notes and "federal statutory body" in record.review_notes


def test_organisation_option_leads(seed_file):
    office = OrganisationFactory(name="IOM Pakistan", acronym="", slug="iom-pakistan")
    run(str(seed_file), "--organisation", "iom-pakistan")
    assert Bulletin.objects.get().organisation == office
    for release in PressRelease.objects.all():
        assert release.issuing_organisations[0] == office
    with pytest.raises(CommandError, match="No organisation"):
        run(str(seed_file), "--organisation", "nobody")


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_samples_import_and_reimport_changes_nothing(path):
    out = run(str(path))
    assert "draft release" in out
    assert PressRelease.objects.exists()
    assert not PressRelease.objects.exclude(status=PressRelease.Status.DRAFT).exists()
    before = counts()
    assert "already imported on" in run(str(path))
    assert counts() == before


def test_samples_are_read_correctly():
    run(*(str(p) for p in SAMPLE_FILES))
    clinic = PressRelease.objects.get(dateline_place="Geneva")
    assert clinic.dateline_date == datetime.date(2024, 3, 3)
    assert "<li>Weekly visits to twelve towns</li>" in clinic.body
    assert "Notes to editors" in clinic.body
    assert MediaContact.objects.get(email="a.haddad@ahf.example.org").phone_e164 == "+41795554433"
    assert Organisation.objects.get(acronym="RSN").email == "press@rsn.example.org"
    water = PressRelease.objects.get(title__startswith="New desalination")
    assert water.dateline_date == datetime.date(2024, 5, 12)
    assert "“We expect the first deliveries" in water.body  # Windows-1252 curly quotes
    assert ImportRecord.objects.get(filename="karachi_water_cp1252.txt").encoding == "windows-1252"
    assert MediaContact.objects.filter(name="Faisal Qureshi").count() == 1
    assert Bulletin.objects.get().items.count() == 2
    training = PressRelease.objects.get(dateline_place="Lahore")
    assert training.dateline_date == datetime.date(2024, 1, 15)
    sana = MediaContact.objects.get(email="sana.iqbal@plc.example.org")
    assert (sana.honorific, sana.job_title, sana.phone_e164) == (
        "Dr.",
        "Head of Communications",
        "+924235550199",
    )


def test_the_docx_sample_matches_its_script(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_docx", SAMPLES / "make_docx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rebuilt = module.build(tmp_path / "rebuilt.docx")
    from importer.reader import read_source

    assert (
        read_source(rebuilt.read_bytes(), "x.docx").text
        == read_source((SAMPLES / "lahore_training.docx").read_bytes(), "x.docx").text
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n \t\n", "only blank space"),
        ("binary.txt", b"PRESS RELEASE\x00\x01\x02\x00binary", "binary"),
        ("controls.txt", bytes(range(1, 9)) * 20, "binary"),
        (
            "latin.txt",
            b"PRESS RELEASE\n\nHeadline\n\nGeneva, 3 March 2024: caf\x81 \x8d",
            "encoding",
        ),
        ("nothing.txt", b"A shopping list\n\nmilk\n\neggs\n", "no press release"),
        ("fake.docx", b"PRESS RELEASE\n\nHeadline\n", "not a Word"),
        ("zip.docx", b"PK\x03\x04garbage-that-is-not-a-zip", "not a Word"),
        ("old.doc", b"\xd0\xcf\x11\xe0 old word", ".doc"),
        ("picture.png", b"\x89PNG\r\n", "unsupported"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    before = counts()
    with pytest.raises(CommandError, match=message):
        run(str(path))
    assert counts() == before


def test_missing_file_is_refused(tmp_path):
    before = counts()
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "missing.txt"))
    assert counts() == before


def test_utf8_bom_is_read_and_reported(tmp_path, seed_text):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + seed_text.encode("utf-8"))
    out = run(str(path))
    assert "encoding: utf-8-sig" in out
    assert PressRelease.objects.count() == 2


def test_failure_midway_rolls_back_the_whole_file(seed_file, monkeypatch):
    from importer import writer

    def explode(self, parsed):
        raise writer.ValidationError("boom")

    monkeypatch.setattr(
        writer._Writer, "write_abouts", lambda self, parsed, result: explode(self, parsed)
    )
    before = counts()
    with pytest.raises(CommandError, match="boom"):
        run(str(seed_file))
    assert counts() == before

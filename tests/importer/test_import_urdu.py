"""Urdu media updates: datelines (Urdu months, Extended Arabic-Indic digits,
the Urdu comma), labels, the media update header, "… کے بارے میں" About
boilerplates and contact headings, as plain text and as a Word file; the
imported releases are in Urdu unless the import says otherwise."""

from __future__ import annotations

import datetime
import io
from io import StringIO

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from bulletins.models import Bulletin
from importer.parser import detect_language, match_dateline, parse, parse_date
from importer.writer import import_bytes
from releases.models import PressRelease
from tests.factories import UserFactory

# Written for these tests: two releases of an imaginary media update.
URDU_UPDATE = """میڈیا اپڈیٹ
قومی ادارہ برائے انسانی حقوق
۱۸ اکتوبر ۲۰۲۳

پریس ریلیز

سیلاب سے متاثرہ خاندانوں کے لیے موبائل قانونی امداد مراکز قائم

حیدرآباد، ۱۸ اکتوبر ۲۰۲۳: قومی ادارہ برائے انسانی حقوق نے سندھ کے چار سیلاب زدہ اضلاع میں \
موبائل قانونی امداد مراکز قائم کر دیے ہیں، جہاں متاثرہ خاندان شناختی دستاویزات، زمین کے کاغذات \
اور معاوضے کے دعووں کے بارے میں مفت رہنمائی حاصل کر سکیں گے۔

ادارے کی چیئرپرسن نے کہا: "جن لوگوں کے گھر پانی میں بہہ گئے، ان کے کاغذات بھی ساتھ بہہ گئے۔ \
ہماری کوشش ہے کہ کوئی خاندان صرف کاغذ نہ ہونے کی وجہ سے امداد سے محروم نہ رہے۔"

مراکز ہفتے میں چھ دن صبح نو بجے سے شام پانچ بجے تک کھلے رہیں گے۔ خواتین کے لیے الگ کاؤنٹر اور \
خاتون وکلا موجود ہوں گی۔

قومی ادارہ برائے انسانی حقوق کے بارے میں
قومی ادارہ برائے انسانی حقوق ایک خود مختار آئینی ادارہ ہے جو ملک بھر میں انسانی حقوق کے تحفظ \
اور فروغ کے لیے کام کرتا ہے۔

میڈیا رابطہ:
عائشہ خان، ترجمان، ayesha.khan@example.org، +92 300 1234567

ختم

پریس ریلیز

کراچی میں پانچ روزہ انسداد پولیو مہم کا آغاز

کراچی، 20 اکتوبر 2023 — محکمہ صحت سندھ نے پیر سے شہر بھر میں پانچ روزہ انسداد پولیو مہم شروع \
کرنے کا اعلان کیا ہے، جس میں پانچ سال سے کم عمر کے بیس لاکھ سے زائد بچوں کو قطرے پلائے جائیں گے۔

ترجمان کے مطابق گھر گھر جانے والی ٹیموں کے ساتھ پولیس اہلکار بھی تعینات ہوں گے۔

مزید معلومات کے لیے رابطہ کریں:
بلال احمد، میڈیا آفیسر، محکمہ صحت سندھ، bilal.ahmed@example.org
"""


def as_docx(text: str) -> bytes:
    """The update typed into Word: one paragraph per line, right to left."""
    document = docx.Document()
    for line in text.split("\n"):
        paragraph = document.add_paragraph(line)
        paragraph.paragraph_format.alignment = 2  # right
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("dateline", "place", "date"),
    [
        ("اسلام آباد، 18 اکتوبر 2023", "اسلام آباد", datetime.date(2023, 10, 18)),
        ("اسلام آباد، ۱۸ اکتوبر ۲۰۲۳:", "اسلام آباد", datetime.date(2023, 10, 18)),
        ("لاہور، ٣ مئی ٢٠٢٤ —", "لاہور", datetime.date(2024, 5, 3)),
        ("کوئٹہ، 1 جنوری، 2025:", "کوئٹہ", datetime.date(2025, 1, 1)),
        ("پشاور، جمعہ، 7 جولائی 2023:", "پشاور", datetime.date(2023, 7, 7)),
        ("مظفرآباد، آزاد کشمیر، 30 دسمبر 2022:", "مظفرآباد", datetime.date(2022, 12, 30)),
    ],
)
def test_urdu_datelines(dateline, place, date):
    match = match_dateline(dateline)
    assert match is not None
    assert match.group("place").startswith(place)
    parsed = parse(f"پریس ریلیز\n\nسرخی\n\n{dateline}\n\nمتن کا پہلا جملہ۔\n")
    assert parsed.releases[0].dateline_place == place
    assert parsed.releases[0].dateline_date == date


@pytest.mark.parametrize(
    ("month", "number"),
    [
        ("جنوری", 1), ("فروری", 2), ("مارچ", 3), ("اپریل", 4), ("مئی", 5), ("جون", 6),
        ("جولائی", 7), ("اگست", 8), ("ستمبر", 9), ("اکتوبر", 10), ("نومبر", 11), ("دسمبر", 12),
    ],
)  # fmt: skip
def test_every_urdu_month(month, number):
    assert parse_date(f"۱۵ {month} ۲۰۲۳") == datetime.date(2023, number, 15)


def test_an_impossible_urdu_date_is_no_dateline():
    assert match_dateline("اسلام آباد، 31 فروری 2023:") is None


def test_language_is_read_from_the_script():
    assert detect_language("سیلاب زدہ علاقوں میں UNHCR کی امداد") == "ur"
    assert detect_language("Floods in Sindh: سیلاب") == ""
    assert detect_language("") == ""


def test_the_urdu_update_is_parsed():
    document = parse(URDU_UPDATE)
    assert document.bulletin.title == "میڈیا اپڈیٹ — 18 اکتوبر 2023"
    assert document.bulletin.date == datetime.date(2023, 10, 18)
    assert document.bulletin.organisation_text == "قومی ادارہ برائے انسانی حقوق"
    first, second = document.releases
    assert first.language == second.language == "ur"
    assert first.labels == ["پریس ریلیز"]
    assert first.title == "سیلاب سے متاثرہ خاندانوں کے لیے موبائل قانونی امداد مراکز قائم"
    assert (first.dateline_place, first.dateline_date) == ("حیدرآباد", datetime.date(2023, 10, 18))
    assert first.paragraphs[0].startswith("قومی ادارہ برائے انسانی حقوق نے سندھ")
    assert first.quotes and first.quotes[0].startswith("جن لوگوں کے گھر")
    [about] = first.abouts
    assert about.subject == "قومی ادارہ برائے انسانی حقوق"
    assert about.text.startswith("قومی ادارہ برائے انسانی حقوق ایک خود مختار")
    [contact] = first.contacts
    assert (contact.name, contact.job_title, contact.email, contact.phone, contact.role) == (
        "عائشہ خان", "ترجمان", "ayesha.khan@example.org", "+92 300 1234567", "media",
    )  # fmt: skip
    assert first.closing == ["ختم"]
    assert (second.dateline_place, second.dateline_date) == ("کراچی", datetime.date(2023, 10, 20))
    [officer] = second.contacts
    assert (officer.name, officer.job_title, officer.organisation_text, officer.role) == (
        "بلال احمد", "میڈیا آفیسر", "محکمہ صحت سندھ", "more_info",
    )  # fmt: skip
    assert not first.unrecognised and not second.unrecognised
    assert not first.warnings and not second.warnings


def test_nothing_of_the_urdu_update_is_lost():
    texts = "\n".join(parse(URDU_UPDATE).texts())
    for line in URDU_UPDATE.replace("\\\n", "").split("\n"):
        for piece in line.split("، "):
            assert piece.strip() in texts, piece


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "as_bytes"), [("update.txt", str.encode), ("update.docx", as_docx)]
)
def test_importing_the_urdu_update_makes_urdu_drafts(name, as_bytes):
    outcome = import_bytes(as_bytes(URDU_UPDATE), name)
    assert not outcome.nothing_written
    releases = list(PressRelease.objects.order_by("id"))
    assert [r.language for r in releases] == ["ur", "ur"]
    assert all(r.status == PressRelease.Status.DRAFT for r in releases)
    assert releases[0].dateline_place == "حیدرآباد"
    assert releases[0].dateline_date == datetime.date(2023, 10, 18)
    assert "موبائل قانونی امداد" in releases[0].body
    assert releases[0].get_absolute_url().startswith("/ur/")
    assert Bulletin.objects.get().title == "میڈیا اپڈیٹ — 18 اکتوبر 2023"
    assert sorted(releases[0].contacts.values_list("name", flat=True)) == ["عائشہ خان"]


@pytest.mark.django_db
def test_the_import_may_set_the_language():
    import_bytes(URDU_UPDATE.encode(), "update.txt", language="en-gb")
    assert set(PressRelease.objects.values_list("language", flat=True)) == {"en-gb"}


@pytest.mark.django_db
def test_a_language_the_newsroom_does_not_have_is_never_written():
    import_bytes(URDU_UPDATE.encode(), "update.txt", language="xx")
    # Not a newsroom language: the script decides.
    assert set(PressRelease.objects.values_list("language", flat=True)) == {"ur"}


@pytest.mark.django_db
def test_the_admin_form_offers_the_language_and_carries_it_to_confirm(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = "/admin/importer/importrecord/import/"
    page = client.get(url)
    assert b'name="language"' in page.content and "اردو".encode() in page.content
    upload = SimpleUploadedFile("update.docx", as_docx(URDU_UPDATE))
    preview = client.post(url, {"file": upload, "language": "en-gb"})
    assert preview.status_code == 200
    formset = preview.context["formset"]
    data = {"payload": preview.context["payload"]}
    for key, value in formset.management_form.initial.items():
        data[f"{formset.prefix}-{key}"] = value
    for i, form in enumerate(formset.forms):
        for field_name, field in form.fields.items():
            value = form.initial.get(field_name, field.initial)
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                data[f"{formset.prefix}-{i}-{field_name}"] = list(value)
            else:
                data[f"{formset.prefix}-{i}-{field_name}"] = value
    response = client.post(url, data)
    assert response.status_code == 302, getattr(response, "context", None) and [
        f.errors for f in response.context["formset"].forms
    ]
    assert set(PressRelease.objects.values_list("language", flat=True)) == {"en-gb"}


@pytest.mark.django_db
def test_the_command_detects_urdu_and_refuses_an_unknown_language(tmp_path):
    path = tmp_path / "update.txt"
    path.write_text(URDU_UPDATE, encoding="utf-8")
    with pytest.raises(CommandError, match="Unknown language"):
        call_command("import_releases", str(path), "--language", "xx", stdout=StringIO())
    call_command("import_releases", str(path), stdout=StringIO())
    assert set(PressRelease.objects.values_list("language", flat=True)) == {"ur"}

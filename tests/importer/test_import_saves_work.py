"""Issue 12, item 12: an import that saves work.

Duplicate warnings (the same bulletin as .txt then .docx), summaries cut at a
sentence end, slugs of sensible length, headlines offered in sentence case,
tags and partnerships suggested — on whichever database the run uses
(SQLite, or PostgreSQL with ``DATABASE_URL``); the pg_trgm path has its own
test that runs on PostgreSQL only.
"""

from __future__ import annotations

import io
from io import StringIO
from pathlib import Path

import docx
import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from bulletins.models import Bulletin
from importer.duplicates import find_duplicates, ratio_candidates, trigram_candidates
from importer.models import ImportRecord
from importer.text import sentence_case, sentences, slug_base, summarise
from importer.writer import import_bytes, import_slug
from releases.models import PressRelease
from tests.factories import (
    OrganisationFactory,
    PartnershipMemberFactory,
    PressReleaseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "karachi_water_cp1252.txt"
URL = "/admin/importer/importrecord/import/"


def as_docx(text: str) -> bytes:
    """The same bulletin typed into Word: one paragraph per line."""
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def sample_text() -> str:
    return SAMPLE.read_bytes().decode("cp1252")


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_releases", *args, stdout=out)
    return out.getvalue()


def form_data(html: str, **changes: str | list[str]) -> dict[str, list[str]]:
    """What a browser would post from the preview's form, with ``changes``."""
    form = next(f for f in lxml.html.fromstring(html).forms if "payload" in f.fields)
    values: dict[str, list[str]] = {}
    for key, value in form.form_values():
        values.setdefault(key, []).append(value)
    for key, value in changes.items():
        values[key] = [value] if isinstance(value, str) else value
    return values


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


# Duplicates ------------------------------------------------------------------


def test_the_seed_as_txt_then_docx_warns_and_skips_the_second(seed_text, tmp_path):
    txt = tmp_path / "media-update.txt"
    txt.write_text(seed_text, encoding="utf-8")
    word = tmp_path / "media-update.docx"
    word.write_bytes(as_docx(seed_text))
    run(str(txt))
    first = set(PressRelease.objects.values_list("pk", flat=True))
    assert len(first) == 2

    out = run(str(word))

    assert "SKIPPED, looks like" in out and "the same headline" in out
    assert "2 release(s) skipped as likely duplicates" in out
    assert set(PressRelease.objects.values_list("pk", flat=True)) == first
    assert Bulletin.objects.count() == 1 and ImportRecord.objects.count() == 1


def test_import_duplicates_flag_imports_them_anyway(tmp_path):
    text = sample_text()
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "a.docx").write_bytes(as_docx(text))
    run(str(tmp_path / "a.txt"))
    out = run(str(tmp_path / "a.docx"), "--import-duplicates")
    assert "imported anyway, although it looks like" in out
    assert PressRelease.objects.count() == 4
    record = ImportRecord.objects.get(filename="a.docx")
    assert "imported anyway" in record.review_notes
    slugs = list(PressRelease.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 4 and all(len(s) <= 80 for s in slugs)


def test_a_partly_duplicate_file_imports_the_new_release_only():
    PressReleaseFactory(title="NEW desalination plant to supply 40,000 homes in   Karachi")
    outcome = import_bytes(SAMPLE.read_bytes(), SAMPLE.name)
    assert [r.skipped for r in outcome.releases] == [True, False]
    assert outcome.releases[0].duplicates[0].reason == "the same headline"
    assert PressRelease.objects.filter(title__startswith="Harbour clean-up").count() == 1
    assert outcome.bulletin is not None and outcome.bulletin.items.count() == 1
    assert "1 likely duplicate" in outcome.summary


def test_same_headline_whatever_case_and_spacing():
    existing = PressReleaseFactory(title="Floods  close Schools in Sindh", summary="")
    found = find_duplicates("floods close schools in sindh", "Another opening altogether.")
    assert [d.release for d in found] == [existing]
    assert found[0].reason == "the same headline"


def test_a_reworded_headline_over_the_same_opening_is_a_likely_duplicate():
    opening = (
        "The Provincial Literacy Council completed a three-week course that taught 500 "
        "primary-school teachers how to use tablets and free learning apps in the classroom."
    )
    existing = PressReleaseFactory(
        title="Provincial Literacy Council trains 500 teachers in digital skills",
        summary=opening,
    )
    PressReleaseFactory(
        title="Harbour clean-up volunteers collect 3 tonnes of plastic",
        summary="More than 300 volunteers cleared plastic from the old harbour on Friday.",
    )
    found = find_duplicates("Literacy Council trains 500 teachers in digital skills", opening)
    assert [d.release for d in found] == [existing]
    assert "alike" in found[0].reason
    assert find_duplicates("Teachers strike over unpaid salaries in Quetta", "They marched.") == []


def test_the_portable_path_scores_with_difflib_on_any_database():
    opening = "More than 300 volunteers cleared plastic from the old harbour on Friday."
    same = PressReleaseFactory(title="Volunteers collect 3 tonnes of plastic", summary=opening)
    PressReleaseFactory(title="Volunteers plant trees in Lahore", summary="A tree story.")
    scored = ratio_candidates(
        PressRelease.objects.all(), "Volunteers collect three tonnes of plastic", opening
    )
    assert scored[0][0] == same and scored[0][1] >= 0.8
    assert all(score < 0.8 for release, score in scored[1:])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm needs PostgreSQL")
def test_the_postgresql_path_scores_with_pg_trgm_similarity():
    opening = "More than 300 volunteers cleared plastic from the old harbour on Friday."
    same = PressReleaseFactory(title="Volunteers collect 3 tonnes of plastic", summary=opening)
    PressReleaseFactory(title="Budget hearing postponed", summary="The hearing moves to May.")
    scored = trigram_candidates(
        PressRelease.objects.all(), "Volunteers collect three tonnes of plastic", opening
    )
    assert [release for release, _ in scored] == [same]
    assert scored[0][1] >= 0.6


def test_the_admin_preview_warns_links_and_skips_by_default(client, staff):
    first = client.post(URL, {"file": SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes())})
    client.post(URL, form_data(first.content.decode()))
    existing = list(PressRelease.objects.order_by("pk"))
    assert len(existing) == 2

    preview = client.post(URL, {"file": SimpleUploadedFile("a.docx", as_docx(sample_text()))})

    html = preview.content.decode()
    assert "This looks like a release already in the newsroom" in html
    for release in existing:
        assert reverse("admin:releases_pressrelease_change", args=[release.pk]) in html
    response = client.post(URL, form_data(html))  # the default: skip
    assert response.status_code == 302
    assert PressRelease.objects.count() == 2 and ImportRecord.objects.count() == 1
    # Import the second anyway.
    response = client.post(URL, form_data(html, **{"form-1-on_duplicate": "import"}))
    assert PressRelease.objects.count() == 3
    assert ImportRecord.objects.count() == 2


# Summaries, slugs, headlines -------------------------------------------------


def test_summary_ends_at_a_sentence_end_within_the_limit():
    first = "The council opened a reading room for pupils in Multan on Monday."
    text = f"{first} It lends books in Urdu, Saraiki and English. " + "More words here. " * 30
    assert summarise(text, limit=120) == first + " It lends books in Urdu, Saraiki and English."
    assert summarise(text, limit=80) == first


def test_summary_of_one_overlong_sentence_is_cut_at_a_word_with_an_ellipsis():
    text = "The board " + "cleared plastic from the harbour and " * 20 + "went home."
    summary = summarise(text, limit=100)
    assert len(summary) <= 100 and summary.endswith("…")
    assert text.startswith(summary[:-1])
    assert summary[-2] != " " and text[len(summary) - 1] == " "  # a whole word


def test_sentences_are_not_split_at_titles_and_initials():
    assert sentences("Dr. A. Khan of the U.N. spoke. Mr. Shah replied.") == [
        "Dr. A. Khan of the U.N. spoke.",
        "Mr. Shah replied.",
    ]


def test_imported_summaries_are_whole_sentences(seed_text):
    outcome = import_bytes(seed_text.encode(), "seed.txt", dry_run=True)
    for item in outcome.releases:
        summary = item.parsed.summary
        assert summary.endswith((".", "!", "?", "…")), summary
        assert len(summary) <= 400


def test_slugs_are_at_most_80_characters_cut_at_a_word_and_unique():
    title = (
        "Provincial Literacy Council and Open Schools Foundation train five hundred "
        "primary-school teachers in digital skills across twelve districts"
    )
    base = slug_base(title)
    assert len(base) <= 80 and (title.lower().replace(" ", "-") + "-").startswith(base + "-")
    PressReleaseFactory(slug=base)
    second = import_slug(title)
    assert second != base and len(second) <= 80 and second.endswith("-2")
    assert import_slug("Short headline") == "short-headline"


def test_imported_release_has_a_short_slug(seed_text):
    import_bytes(seed_text.encode(), "seed.txt")
    assert all(len(slug) <= 80 for slug in PressRelease.objects.values_list("slug", flat=True))


def test_sentence_case_keeps_acronyms_places_and_organisation_names():
    title = "IOM Pakistan Empowers Stakeholders through Comprehensive Trainings in Lahore"
    assert (
        sentence_case(title, ["IOM Pakistan"])
        == "IOM Pakistan empowers stakeholders through comprehensive trainings in Lahore"
    )
    assert (
        sentence_case("Coastal Water Authority Opens New Plant", ["Coastal Water Authority"])
        == "Coastal Water Authority opens new plant"
    )
    assert sentence_case("NCHR and IOM sign an MoU") == "NCHR and IOM sign an MoU"


def test_headline_kept_as_written_unless_sentence_case_is_chosen(client, staff):
    text = sample_text().replace(
        "New desalination plant to supply 40,000 homes in Karachi",
        "New Desalination Plant To Supply 40,000 Homes In Karachi",
    )
    preview = client.post(URL, {"file": SimpleUploadedFile("caps.txt", text.encode())})
    html = preview.content.decode()
    assert "Sentence case: New desalination plant to supply 40,000 homes in Karachi" in html
    client.post(URL, form_data(html, **{"form-0-headline_case": "sentence"}))
    assert PressRelease.objects.filter(
        title="New desalination plant to supply 40,000 homes in Karachi"
    ).exists()
    assert PressRelease.objects.filter(
        title="Harbour clean-up volunteers collect 3 tonnes of plastic"
    ).exists()


# Suggestions and the preview's fields -----------------------------------------


def test_preview_suggests_tags_and_partnerships_and_imports_what_is_accepted(
    client, staff, django_assert_max_num_queries
):
    PressReleaseFactory(title="An older story", tags=["Water", "Recycling", "Elections"])
    cwa = OrganisationFactory(name="Coastal Water Authority", acronym="CWA")
    hdb = OrganisationFactory(name="Harbour Development Board", acronym="HDB")
    member = PartnershipMemberFactory(organisation=cwa, partnership__title="Clean harbour pact")
    PartnershipMemberFactory(organisation=hdb, partnership=member.partnership)
    PartnershipMemberFactory(organisation=cwa)  # another partnership, without HDB

    with django_assert_max_num_queries(60):
        preview = client.post(URL, {"file": SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes())})

    html = preview.content.decode()
    doc = lxml.html.fromstring(html)
    tags_offered = doc.xpath("//input[@name='form-1-suggested_tags']/@value")
    assert tags_offered == ["Recycling"]  # "sent for recycling"; "Elections" is nowhere
    assert doc.xpath("//input[@name='form-0-suggested_tags']/@value") == ["Water"]
    offered = doc.xpath("//input[@name='form-1-partnerships']/@value")
    assert offered == [str(member.partnership.pk)]
    assert not doc.xpath("//input[@name='form-0-suggested_tags' and @checked]")  # unticked

    client.post(
        URL,
        form_data(
            html,
            **{
                "form-0-suggested_tags": "Water",
                "form-0-tags": "Desalination",
                "form-1-partnerships": str(member.partnership.pk),
            },
        ),
    )
    plant = PressRelease.objects.get(title__startswith="New desalination")
    assert sorted(plant.tags.names()) == ["Desalination", "Water"]
    harbour = PressRelease.objects.get(title__startswith="Harbour clean-up")
    assert list(harbour.partnerships.all()) == [member.partnership]


def test_preview_offers_every_parsed_field_and_corrections_are_saved(client, staff):
    preview = client.post(URL, {"file": SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes())})
    html = preview.content.decode()
    doc = lxml.html.fromstring(html)
    for name in (
        "title", "dateline_place", "dateline_date", "summary", "body_text",
        "organisation_keys", "contact_0_name", "contact_0_email", "contact_0_phone",
        "contact_0_keep", "tags",
    ):  # fmt: skip
        assert doc.xpath(f"//*[@name='form-0-{name}']"), name
    assert doc.xpath("//input[@name='form-0-dateline_date']/@value") == ["2024-05-12"]
    assert doc.xpath("//input[@name='form-0-dateline_date']/@type") == ["text"]
    assert (
        "plant, built with the Harbour Development Board"
        in doc.xpath("//textarea[@name='form-0-body_text']")[0].text_content()
    )

    client.post(
        URL,
        form_data(
            html,
            **{
                "form-0-body_text": "A corrected first paragraph.\n\nA second one.",
                "form-0-contact_0_name": "Faisal Qureshi-Khan",
                "form-0-organisation_keys": "CWA",
                "form-1-contact_0_keep": [],
            },
        ),
    )
    plant = PressRelease.objects.get(title__startswith="New desalination")
    assert plant.body.startswith("<p>A corrected first paragraph.</p><p>A second one.</p>")
    assert [c.name for c in plant.contacts.all()] == ["Faisal Qureshi-Khan"]
    assert [o.acronym for o in plant.organisations.all()] == ["CWA"]
    harbour = PressRelease.objects.get(title__startswith="Harbour clean-up")
    assert harbour.contacts.count() == 0


def test_import_record_list_links_to_import_releases(client, staff):
    html = client.get(reverse("admin:importer_importrecord_changelist")).content.decode()
    assert f'href="{URL}"' in html and "Import releases" in html


def test_already_imported_message_uses_the_house_date_style(client, staff):
    import_bytes(SAMPLE.read_bytes(), SAMPLE.name)
    record = ImportRecord.objects.get()
    from core.dates import house_datetime

    response = client.post(URL, {"file": SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes())})
    assert f"already imported on {house_datetime(record.imported_at)}" in response.content.decode()
    assert house_datetime(record.imported_at) in str(record)


def test_a_writer_who_imports_can_read_the_record_of_the_import(client):
    from django.apps import apps
    from django.contrib.auth.models import Group

    from releases.roles import WRITER, sync_roles

    sync_roles(apps)
    writer = UserFactory(is_staff=True)
    writer.groups.add(Group.objects.get(name=WRITER))
    client.force_login(writer)
    preview = client.post(URL, {"file": SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes())})
    response = client.post(URL, form_data(preview.content.decode()))
    record = ImportRecord.objects.get()
    assert response.url == reverse("admin:importer_importrecord_change", args=[record.pk])
    assert client.get(response.url).status_code == 200
    assert client.get(reverse("admin:importer_importrecord_changelist")).status_code == 200


def test_a_bad_correction_shows_the_preview_again_and_saves_nothing(client, staff):
    preview = client.post(URL, {"file": SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes())})
    response = client.post(
        URL,
        form_data(
            preview.content.decode(),
            **{"form-0-dateline_date": "12/05/2024", "form-1-title": ""},
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid date." in html and "This field is required." in html
    assert "Releases found (2)" in html
    assert PressRelease.objects.count() == 0 and ImportRecord.objects.count() == 0


def test_untitled_releases_are_not_duplicates_by_headline_alone():
    PressReleaseFactory(title="Untitled release", summary="A reading room opened in Multan.")
    assert find_duplicates("Untitled release", "Police closed the ring road on Friday.") == []

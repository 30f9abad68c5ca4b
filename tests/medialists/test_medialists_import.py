"""Import (CSV, vCard) in the admin: map, preview, all or nothing; bad files
get a clear message and write nothing.  Export neutralises formulas.
Duplicates, merge and who may do what."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from medialists import importing, people
from medialists.models import Distribution, ImportUpload, MediaList, MediaPerson, Outlet, Recipient
from tests.factories import PressReleaseFactory, UserFactory
from tests.medialists.conftest import fixed_list, person

pytestmark = pytest.mark.django_db
IMPORT = "/admin/medialists/mediaperson/import/"

GOOD = (
    "Full name,E-mail,Outlet,Beats,Country,Phone\n"
    "Hana Reyes,HANA@example.org,Harbour Times,energy; water,GB,+44 20 7946 0958\n"
    "Ivo Marsh,ivo@example.org,Valley Radio,energy,PK,\n"
    "Jon Kell,jon@example.org,Harbour Times,,GB,\n"
    "Broken,not-an-email,Harbour Times,,,\n"
    'Eve Formula,eve@example.org,=HYPERLINK("http://x"),,,\n'
    "Hana Again,hana@example.org,Harbour Times,,,\n"
)


def upload(client, data: bytes, kind: str = "csv", name: str = "people.csv"):
    return client.post(
        IMPORT,
        {
            "file": SimpleUploadedFile(name, data),
            "kind": kind,
            "consent_basis": "professional",
        },
    )


def mapping(**columns) -> dict:
    return {field: str(columns.get(field, "")) for field in importing.FIELDS}


def test_a_csv_import_maps_previews_and_then_writes_all(client, manager):
    Outlet.objects.create(name="Harbour Times", kind="print")
    existing = person("Jon Kell", "Jon@Example.org", consent_basis="", role="")
    client.force_login(manager)
    response = upload(client, GOOD.encode())
    assert response.status_code == 302
    map_url = response["Location"]
    page = client.get(map_url)
    assert page.status_code == 200
    assert page.context["form"].fields["email"].initial == "1"  # "E-mail" guessed
    columns = mapping(name=0, email=1, outlet=2, beats=3, countries=4, phones=5)
    preview = client.post(map_url, {**columns, "preview": "1"})
    assert preview.status_code == 200
    assert (preview.context["creates"], preview.context["updates"], preview.context["skips"]) == (
        2,
        1,
        3,
    )
    reasons = {r.line: r.reason for r in preview.context["plan"].rows if r.action == "skip"}
    assert "not an e-mail address" in reasons[5]
    assert "formula" in reasons[6]
    assert "same e-mail as line 2" in reasons[7]
    assert preview.context["plan"].new_outlets == ["Valley Radio"]
    assert MediaPerson.objects.count() == 1, "the preview wrote something"
    done = client.post(map_url, {**columns, "confirm": "1"})
    assert done.status_code == 302
    hana = MediaPerson.objects.get(email="hana@example.org")
    assert hana.phones == "+442079460958"
    assert sorted(hana.beats.values_list("name", flat=True)) == ["energy", "water"]
    assert hana.consent_basis == "professional"
    assert hana.consent_source.startswith("CSV import ") and "by maria" in hana.consent_source
    assert MediaPerson.objects.get(email="ivo@example.org").outlet.name == "Valley Radio"
    existing.refresh_from_db()
    assert existing.outlet.name == "Harbour Times" and existing.countries == "GB"
    assert not ImportUpload.objects.exists()


def test_a_missing_required_column_is_said_and_nothing_is_written(client, manager):
    client.force_login(manager)
    map_url = upload(client, b"Name,Phone\nA Person,123\n")["Location"]
    page = client.post(map_url, {**mapping(name=0, phones=1), "preview": "1"})
    assert page.status_code == 200
    assert "This field is required" in page.content.decode()
    assert not MediaPerson.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Name,Email\nJosé,jose@example.org\n".encode("latin-1"), "not UTF-8"),
        (b"", "empty"),
        (b"Name,Email\n", "no rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8"),
    ],
)
def test_bad_files_get_a_clear_message(client, manager, data, message):
    client.force_login(manager)
    response = upload(client, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportUpload.objects.exists() and not MediaPerson.objects.exists()


def test_too_many_rows_is_refused_with_the_limit(client, manager, settings):
    settings.MEDIALISTS_IMPORT_MAX_ROWS = 100
    rows = "".join(f"P{n},p{n}@example.org\n" for n in range(101))
    client.force_login(manager)
    response = upload(client, ("Name,Email\n" + rows).encode())
    assert response.status_code == 200
    assert "more than 100 rows" in response.content.decode()
    assert not MediaPerson.objects.exists()


def test_a_failure_while_writing_leaves_nothing_half_written(manager, monkeypatch):
    header, rows = importing.read_rows(GOOD, "csv")
    plan = importing.plan(header, rows, {"name": 0, "email": 1, "outlet": 2, "beats": 3})

    def broken(self, name):
        raise RuntimeError("the database went away")

    # People and outlets are written before the beats: all must go with them.
    monkeypatch.setattr(importing._TagCache, "get", broken)
    with pytest.raises(RuntimeError):
        importing.apply(plan, "professional", "test")
    assert not MediaPerson.objects.exists() and not Outlet.objects.exists()


def test_a_similar_name_at_the_same_outlet_is_skipped_as_a_possible_duplicate():
    outlet = Outlet.objects.create(name="Harbour Times")
    person("Katarina Novak", "kn@example.org", outlet)
    header, rows = importing.read_rows(
        "name,email,outlet\nKatarína Novák,k.novak@example.org,harbour times\n", "csv"
    )
    plan = importing.plan(header, rows, importing.guess_mapping(header))
    assert plan.rows[0].action == "skip" and "possible duplicate" in plan.rows[0].reason


def test_vcards_are_imported(client, manager):
    cards = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Lena Ostrova\r\nORG:Northern Wire\r\n"
        "TITLE:Energy correspondent\r\nEMAIL:lena@example.org\r\nEMAIL:l.o@example.org\r\n"
        "TEL:+92 300 1234567\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Marc Dune\r\nEMAIL:marc@example.org\r\nEND:VCARD\r\n"
    )
    client.force_login(manager)
    map_url = upload(client, cards.encode(), kind="vcard", name="cards.vcf")["Location"]
    page = client.get(map_url)
    columns = {name: field.initial or "" for name, field in page.context["form"].fields.items()}
    assert client.post(map_url, {**columns, "confirm": "1"}).status_code == 302
    lena = MediaPerson.objects.get(email="lena@example.org")
    assert (lena.outlet.name, lena.role, lena.other_emails, lena.phones) == (
        "Northern Wire",
        "Energy correspondent",
        "l.o@example.org",
        "+923001234567",
    )
    assert lena.consent_source.startswith("vCard import")
    assert MediaPerson.objects.count() == 2


def test_a_broken_vcard_file_is_reported(client, manager):
    client.force_login(manager)
    response = upload(client, b"BEGIN:VCARD\r\nFN:x\r\n", kind="vcard", name="x.vcf")
    assert response.status_code == 200
    assert "vCard" in response.content.decode()
    assert not MediaPerson.objects.exists()


def test_export_neutralises_formulas(client, manager):
    person("=cmd|' /C calc'!A0", "calc@example.org", notes="@SUM(1)", phones="+44 20 7946 0958")
    client.force_login(manager)
    response = client.post(
        "/admin/medialists/mediaperson/",
        {"action": "export_people", "_selected_action": list(
            MediaPerson.objects.values_list("pk", flat=True)
        )},
    )  # fmt: skip
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:2] == ["name", "email"]
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[1][-1] == "'@SUM(1)"
    assert rows[1][9] == "'+442079460958"


def test_one_email_one_record_in_the_admin_form(client, manager):
    outlet = Outlet.objects.create(name="Northern Wire")
    person("Nadia Stone", "nadia@example.org", outlet)
    client.force_login(manager)
    add = "/admin/medialists/mediaperson/add/"
    base = {"name": "Someone", "email": "NADIA@example.org", "consent_basis": "professional"}
    page = client.post(add, base)
    assert "already has this e-mail" in page.content.decode()
    page = client.post(add, {**base, "email": "n2@example.org", "name": "Nadia Stone",
                             "outlet": outlet.pk})  # fmt: skip
    assert "Possible duplicate" in page.content.decode()
    page = client.post(add, {**base, "email": "n2@example.org", "name": "Nadia Stone",
                             "outlet": outlet.pk, "save_anyway": "on"})  # fmt: skip
    assert page.status_code == 302
    created = MediaPerson.objects.get(email="n2@example.org")
    assert created.consent_source == "admin, by maria" and created.consent_recorded_at


def test_merge_keeps_lists_sends_and_notes(publisher):
    keep = person("Olga Pike", "olga@example.org", notes="Prefers calls.")
    other = person("O. Pike", "opike@example.org", notes="Met at the summit.")
    on_list = fixed_list("Summit", [other])
    release = PressReleaseFactory()
    distribution = Distribution.objects.create(release=release, created_by=publisher)
    Recipient.objects.create(
        distribution=distribution, release=release, person=other, email=other.email, status="sent"
    )
    people.merge(keep, other, publisher)
    keep.refresh_from_db()
    assert not MediaPerson.objects.filter(pk=other.pk).exists()
    assert list(MediaPerson.objects.in_list(on_list)) == [keep]
    assert Recipient.objects.get().person == keep
    assert "opike@example.org" in keep.other_emails
    assert "Met at the summit." in keep.notes and "Merged with the record of O. Pike" in keep.notes


def test_records_are_linked_to_the_same_person_elsewhere():
    from alerts.models import Subscriber
    from journalists.models import Journalist

    subscriber = Subscriber.objects.create(email="pat@example.org")
    assert person("Pat Lee", "PAT@example.org").subscriber == subscriber
    # The other way round: the record first, the alerts address and the account later.
    quinn = person("Quinn Bay", "quinn@example.org")
    later = Subscriber.objects.create(email="quinn@example.org")
    account = Journalist.objects.create(
        user=UserFactory(username="quinn", email="Quinn@Example.org"),
        name="Quinn Bay",
        outlet="Bay News",
        role="Reporter",
    )
    quinn.refresh_from_db()
    assert (quinn.subscriber, quinn.journalist) == (later, account)


def test_contacts_managers_keep_the_lists_and_publishers_send(client, manager, publisher):
    release = PressReleaseFactory()
    send = reverse("admin:medialists_distribution_send", args=[release.pk])
    client.force_login(manager)
    assert client.get(IMPORT).status_code == 200
    assert client.get("/admin/medialists/medialist/add/").status_code == 200
    assert client.get(send).status_code == 403
    client.force_login(publisher)
    assert client.get(IMPORT).status_code == 403
    assert client.get("/admin/medialists/medialist/add/").status_code == 403
    assert client.get(send).status_code == 200


def test_the_send_page_shows_who_and_why_then_confirms(client, publisher, smtp):
    release = PressReleaseFactory(title="Harbour reopens")
    ok = person("Quinn Ray", "quinn@example.org")
    nope = person("Rae Nope", "rae@example.org", consent_basis="")
    media_list = fixed_list("Harbour", [ok, nope])
    client.force_login(publisher)
    # The release list's action leads to the send page.
    chosen = client.post(
        "/admin/releases/pressrelease/",
        {"action": "send_to_media_lists", "_selected_action": [release.pk]},
    )
    send = reverse("admin:medialists_distribution_send", args=[release.pk])
    assert chosen.status_code == 302 and chosen["Location"] == send
    page = client.post(send, {"lists": [media_list.pk], "note": "For you", "preview": "1"})
    text = page.content.decode()
    assert page.context["outcome"].count == 1
    assert "Rae Nope" in text and "no consent" in text and "Harbour reopens" in text
    assert not Distribution.objects.exists()
    done = client.post(send, {"lists": [media_list.pk], "note": "For you", "confirm": "1"})
    assert done.status_code == 302
    assert Distribution.objects.get().list_names == "Harbour"
    assert MediaList.objects.get().distributions.count() == 1


def test_the_send_page_refuses_a_draft_and_an_empty_choice_clearly(client, publisher):
    draft = PressReleaseFactory(status="draft", publish_at=None)
    client.force_login(publisher)
    page = client.get(reverse("admin:medialists_distribution_send", args=[draft.pk]))
    assert page.status_code == 200 and "only an approved, scheduled or published" in (
        page.content.decode()
    )
    release = PressReleaseFactory()
    send = reverse("admin:medialists_distribution_send", args=[release.pk])
    page = client.post(send, {"note": "x", "confirm": "1"})
    assert page.status_code == 200 and "This field is required" in page.content.decode()
    assert not Distribution.objects.exists()


def test_the_worker_sweep_knows_the_media_list_sends():
    from alerts import sweeps
    from medialists import tasks

    assert tasks.send_release_copies.module_path in sweeps.repeatable_tasks()
    from django.utils import timezone

    old = ImportUpload.objects.create(text="a,b", file_name="old.csv", consent_basis="other")
    ImportUpload.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=2)
    )
    fresh = ImportUpload.objects.create(text="a,b", file_name="new.csv", consent_basis="other")
    assert sweeps.run_all(timezone.now())["medialists"] == {"unknown": 0, "releases": 0}
    assert list(ImportUpload.objects.all()) == [fresh], "an abandoned upload was kept"


def test_the_lists_link_to_import_and_to_sending(client, manager, publisher):
    client.force_login(manager)
    assert IMPORT in client.get("/admin/medialists/mediaperson/").content.decode()
    client.force_login(publisher)
    page = client.get("/admin/medialists/distribution/").content.decode()
    assert reverse("admin:medialists_choose") in page
    release = PressReleaseFactory(title="Ready to go")
    chooser = client.get(reverse("admin:medialists_choose")).content.decode()
    assert reverse("admin:medialists_distribution_send", args=[release.pk]) in chooser


def test_the_release_page_in_the_admin_shows_the_send_in_its_history(client, publisher, smtp):
    from medialists import plans

    release = PressReleaseFactory()
    plans.plan(release, [fixed_list("Desk", [person("Tom Ash", "tom@example.org")])], "", publisher)
    client.force_login(publisher)
    for url in (
        reverse("admin:releases_pressrelease_change", args=[release.pk]),
        reverse("admin:releases_pressrelease_history", args=[release.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200 and "Sent to media lists: Desk" in page.content.decode()

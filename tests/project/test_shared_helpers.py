"""The helpers every app shares (``core``, and the prefetches and field lists
owned by one app for the others): each is the only definition of its rule,
so each is pinned here."""

from __future__ import annotations

import datetime
import io

import pytest
from django.http import QueryDict
from django.utils import timezone
from PIL import Image

from api.openapi import build_openapi
from contacts.models import MediaContact, Partnership, partnership_members_prefetch
from core.images import EXIF_ORIENTATION, oriented_file_size, oriented_size, upright
from core.params import FILTER_ALIASES, canonical_name, filter_spelling, spellings
from core.richtext import html_to_text
from core.urls import absolute_url
from importer.admin import ReleaseCorrectionForm
from importer.writer import EDITABLE_FIELDS
from releases import workflow
from releases.models import ChangeNote, PressRelease
from releases.models.release import (
    change_notes_prefetch,
    issuers_prefetch,
    public_contact_links,
    public_contacts_prefetch,
    public_partnerships_prefetch,
)
from tests.api.support import assert_valid
from tests.factories import (
    MediaContactFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PressReleaseFactory,
)
from tests.files.support import oriented_jpeg

SITE = "https://news.example.org"
_MINUTE = datetime.timedelta(minutes=1)


# core.urls.absolute_url ------------------------------------------------------


@pytest.fixture
def site(settings):
    settings.NEWSROOM_SITE_URL = SITE
    return SITE


def test_absolute_url_puts_a_path_on_the_canonical_site(site):
    assert absolute_url("/releases/floods/") == f"{SITE}/releases/floods/"
    assert absolute_url("/api/v1/releases/?page=2&tag=x") == f"{SITE}/api/v1/releases/?page=2&tag=x"


def test_absolute_url_leaves_an_absolute_url_alone(site):
    assert absolute_url("https://cdn.example.net/a.jpg") == "https://cdn.example.net/a.jpg"
    assert absolute_url("http://other.example/x") == "http://other.example/x"


def test_absolute_url_without_leading_slash_stays_under_the_root(site):
    assert absolute_url("sitemap.xml") == f"{SITE}/sitemap.xml"


def test_absolute_url_reads_the_setting_at_call_time(settings):
    settings.NEWSROOM_SITE_URL = "http://127.0.0.1:8000"
    assert absolute_url("/") == "http://127.0.0.1:8000/"
    settings.NEWSROOM_SITE_URL = SITE
    assert absolute_url("/") == f"{SITE}/"


# core.richtext.html_to_text --------------------------------------------------


def test_html_to_text_keeps_paragraphs_and_tight_lists():
    html = (
        "<h2>Heading</h2><p>First &amp; <strong>bold</strong>.</p>"
        "<ul><li><p>One</p></li><li>Two<ul><li>Inner</li></ul></li></ul><p>After.</p>"
    )
    assert html_to_text(html) == "Heading\n\nFirst & bold.\n\n- One\n- Two\n  - Inner\n\nAfter."


def test_html_to_text_line_breaks_and_white_space_as_a_browser_shows_them():
    assert html_to_text("<p>a<br>b</p><p>  c\n   d  </p>") == "a\nb\n\nc d"
    # A no-break space is the author's, not layout: it stays.
    assert html_to_text("<p>10&nbsp;km</p>") == "10\u00a0km"


def test_html_to_text_gives_a_link_its_address_unless_the_text_shows_it(settings):
    settings.NEWSROOM_SITE_URL = SITE
    html = (
        '<p><a href="https://x.org/report">the report</a>, '
        '<a href="https://x.org/">x.org</a>, <a href="mailto:a@x.org">a@x.org</a>, '
        '<a href="/releases/r/">our release</a></p>'
    )
    assert html_to_text(html) == (
        f"the report (https://x.org/report), x.org, a@x.org, our release ({SITE}/releases/r/)"
    )


def test_html_to_text_one_line_is_the_words_alone():
    html = '<p>Body <a href="https://x.org">text</a></p><ul><li>One</li></ul><p>&lt;b&gt;</p>'
    assert html_to_text(html, one_line=True) == "Body text One <b>"


@pytest.mark.parametrize("empty", ["", None, "<p></p>", "<script>alert(1)</script>"])
def test_html_to_text_of_nothing_is_empty(empty):
    assert html_to_text(empty) == ""
    assert html_to_text(empty, one_line=True) == ""


# Prefetches: one per relation, in the app that owns it -----------------------


@pytest.mark.django_db
def test_public_contacts_are_the_address_books_public_ones_in_print_order():
    org = OrganisationFactory()
    second = MediaContactFactory(organisation=org, name="Second")
    first = MediaContactFactory(organisation=org, name="First")
    internal = MediaContactFactory(organisation=org, is_public=False)
    retired = MediaContactFactory(organisation=org, is_active=False)
    release = PressReleaseFactory(contacts=[first, internal, retired, second])
    shown = [link.contact for link in public_contact_links().filter(release=release)]
    assert shown == [first, second]
    assert set(MediaContact.objects.public()) >= set(shown)
    loaded = PressRelease.objects.prefetch_related(public_contacts_prefetch()).get(pk=release.pk)
    assert [link.contact for link in loaded.public_contact_links] == [first, second]


@pytest.mark.django_db
def test_issuers_prefetch_loads_parents_only_when_asked(django_assert_num_queries):
    parent = OrganisationFactory(name="Parent")
    office = OrganisationFactory(name="Office", parent=parent)
    lead = OrganisationFactory(name="Lead")
    release = PressReleaseFactory(organisations=[lead, office])
    with django_assert_num_queries(2):
        loaded = PressRelease.objects.prefetch_related(issuers_prefetch()).get(pk=release.pk)
        assert [link.organisation.name for link in loaded.issuers.all()] == ["Lead", "Office"]
        assert loaded.issuers.all()[1].organisation.parent == parent
    loaded = PressRelease.objects.prefetch_related(issuers_prefetch(parents=False)).get(
        pk=release.pk
    )
    with django_assert_num_queries(1):  # the parent was not loaded
        assert loaded.issuers.all()[1].organisation.parent == parent


@pytest.mark.django_db
def test_public_partnerships_prefetch_leaves_drafts_out_and_takes_an_order():
    release = PressReleaseFactory()
    older = PartnershipFactory(title="B older", signed_on=datetime.date(2020, 1, 1))
    newer = PartnershipFactory(title="A newer", signed_on=datetime.date(2024, 1, 1))
    draft = PartnershipFactory(status=Partnership.Status.DRAFT)
    release.partnerships.add(older, newer, draft)

    def titles(prefetch) -> list[str]:
        loaded = PressRelease.objects.prefetch_related(prefetch).get(pk=release.pk)
        return [p.title for p in loaded.partnerships.all()]

    assert titles(public_partnerships_prefetch()) == ["A newer", "B older"]
    assert titles(public_partnerships_prefetch(order_by=("-title",))) == ["B older", "A newer"]


@pytest.mark.django_db
def test_change_notes_prefetch_is_newest_first_with_a_stable_tie():
    release = PressReleaseFactory()
    now = timezone.now()
    old = ChangeNote.objects.create(release=release, note="old", created_at=now)
    tie = ChangeNote.objects.create(release=release, note="tie", created_at=now)
    new = ChangeNote.objects.create(release=release, note="new", created_at=now + _MINUTE)
    loaded = PressRelease.objects.prefetch_related(change_notes_prefetch(to_attr="notes")).get(
        pk=release.pk
    )
    assert loaded.notes == [new, tie, old]


@pytest.mark.django_db
def test_partnership_members_prefetch_is_one_query_in_member_order(django_assert_num_queries):
    partnership = PartnershipFactory()
    second = PartnershipMemberFactory(partnership=partnership, order=1)
    first = PartnershipMemberFactory(partnership=partnership, order=0)
    with django_assert_num_queries(2):
        loaded = Partnership.objects.prefetch_related(partnership_members_prefetch()).get(
            pk=partnership.pk
        )
        members = list(loaded.members.all())
        assert members == [first, second]
        assert [m.organisation.name for m in members] == [
            first.organisation.name,
            second.organisation.name,
        ]


# One list of a release's content fields --------------------------------------


def test_content_fields_are_the_release_text_and_nothing_of_the_workflow():
    assert PressRelease.CONTENT_FIELDS == (
        "title",
        "summary",
        "dateline_place",
        "dateline_date",
        "body",
    )
    for name in PressRelease.CONTENT_FIELDS:
        field = PressRelease._meta.get_field(name)
        assert field.editable and not field.is_relation, name
    assert not {"status", "publish_at", "slug"} & set(PressRelease.CONTENT_FIELDS)


def test_the_workflow_restores_exactly_the_content_fields():
    # The workflow keeps a copy until it imports the model's list; they
    # must not drift apart meanwhile.
    assert (
        getattr(workflow, "CONTENT_FIELDS", PressRelease.CONTENT_FIELDS)
        == PressRelease.CONTENT_FIELDS
    )


def test_the_import_preview_corrects_content_fields_the_form_offers():
    assert set(EDITABLE_FIELDS) <= set(PressRelease.CONTENT_FIELDS) - {"body"}
    # The preview offers every parsed field (issue 12): the content fields, the
    # body as plain paragraphs, and the links (issuers, contacts, tags…).
    assert set(EDITABLE_FIELDS) | {"body_text"} <= set(ReleaseCorrectionForm.base_fields)


# core.images: the one reading of EXIF orientation ----------------------------


@pytest.mark.parametrize(
    ("orientation", "seen"), [(1, (80, 40)), (3, (80, 40)), (6, (40, 80)), (8, (40, 80))]
)
def test_oriented_size_swaps_for_a_quarter_turn(orientation, seen):
    data = oriented_jpeg(80, 40, orientation)
    with Image.open(io.BytesIO(data)) as image:
        assert oriented_size(image) == seen
        assert upright(image).size == seen
    file = io.BytesIO(data)
    file.seek(5)
    assert oriented_file_size(file) == seen
    assert file.tell() == 0  # left where a reader of the whole file expects it


def test_upright_drops_the_orientation_tag():
    with Image.open(io.BytesIO(oriented_jpeg(80, 40, 6))) as image:
        turned = upright(image)
    assert turned.getexif().get(EXIF_ORIENTATION, 1) == 1
    assert oriented_size(turned) == turned.size == (40, 80)


# One set of filter names on the site and the API -----------------------------


def test_filter_spellings_put_the_canonical_name_first():
    assert spellings("org") == spellings("organisation") == ("organisation", "org")
    assert canonical_name("org") == "organisation"
    assert spellings("tag") == ("tag",)
    assert filter_spelling(QueryDict("org=iom"), "organisation") == "org"
    assert filter_spelling(QueryDict("org=iom&organisation=ndma"), "org") == "organisation"
    assert filter_spelling(QueryDict("organisation=&org=iom"), "organisation") == "org"
    assert filter_spelling(QueryDict(""), "org") == "organisation"


@pytest.fixture
def issuers(db):
    iom = OrganisationFactory(name="IOM Pakistan", slug="iom")
    ndma = OrganisationFactory(name="Disaster Authority", slug="ndma")
    MediaContactFactory(organisation=iom, name="Iom Contact")
    MediaContactFactory(organisation=ndma, name="Ndma Contact")
    PressReleaseFactory(title="From IOM", organisations=[iom])
    PressReleaseFactory(title="From both", organisations=[ndma, iom])
    PressReleaseFactory(title="From NDMA", organisations=[ndma])
    return {"iom": iom, "ndma": ndma}


def _page_titles(response) -> list[str]:
    assert response.status_code == 200
    return [release.title for release in response.context["page_obj"].object_list]


@pytest.mark.parametrize("url", ["/releases/", "/search/"])
def test_site_lists_read_organisation_and_its_alias_org_alike(client, issuers, url):
    by_alias = _page_titles(client.get(url, {"org": "iom"}))
    by_name = _page_titles(client.get(url, {"organisation": "iom"}))
    assert sorted(by_alias) == ["From IOM", "From both"]
    assert by_name == by_alias
    # Either way the page shows one active organisation filter.
    response = client.get(url, {"organisation": "iom"})
    assert [item.label for item in response.context["active_filters"]] == ["IOM Pakistan"]


def test_site_contact_directory_reads_org_like_organisation(client, issuers):
    def names(params) -> list[str]:
        response = client.get("/contacts/", params)
        assert response.status_code == 200
        return [contact.name for contact in response.context["contacts"]]

    assert names({"organisation": "ndma"}) == names({"org": "ndma"}) == ["Ndma Contact"]


@pytest.mark.parametrize(
    ("endpoint", "path"),
    [("/api/v1/releases/", "/releases/"), ("/api/v1/contacts/", "/contacts/")],
)
def test_api_reads_org_like_organisation(client, issuers, endpoint, path):
    def results(params) -> list[dict]:
        return assert_valid(client.get(endpoint, params), path)["results"]

    by_name = results({"organisation": "iom"})
    assert by_name and by_name == results({"org": "iom"})
    assert len(by_name) < len(results({}))
    # The canonical name wins when a client sends both.
    assert results({"organisation": "iom", "org": "ndma"}) == by_name


def test_api_error_names_the_spelling_sent(client, db):
    response = client.get("/api/v1/releases/", {"org": "<script>"})
    data = assert_valid(response, "/releases/")
    assert response.status_code == 400
    assert "“org”" in data["error"]["message"]


def test_openapi_documents_every_spelling_of_the_filters():
    document = build_openapi()
    parameters = document["components"]["parameters"]
    assert "deprecated" not in parameters["organisation"]
    for canonical, aliases in FILTER_ALIASES.items():
        for alias in aliases:
            assert parameters[alias]["deprecated"] is True
            assert canonical in parameters[alias]["description"]
    for path in ("/releases/", "/contacts/"):
        refs = {p["$ref"].rsplit("/", 1)[-1] for p in document["paths"][path]["get"]["parameters"]}
        assert {"organisation", "org"} <= refs

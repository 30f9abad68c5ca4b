"""The public newsroom: what journalists see, and what they must never see."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Partnership, PartnershipMember
from releases.models import ChangeNote, PressRelease, ReleaseContact
from tests.factories import (
    MediaContactFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PressReleaseFactory,
)

pytestmark = pytest.mark.django_db

STAFF_NOTE = "Prefers WhatsApp; do not give out home number"
INTERNAL_NAME = "Hidden Internal Person"


def _not_public_releases() -> list[PressRelease]:
    """One release in every state the public must not see."""
    future = timezone.now() + datetime.timedelta(days=1)
    return [
        PressReleaseFactory(title="Draft release xyzzy", status=PressRelease.Status.DRAFT),
        PressReleaseFactory(title="In review release xyzzy", status=PressRelease.Status.IN_REVIEW),
        PressReleaseFactory(title="Approved release xyzzy", status=PressRelease.Status.APPROVED),
        PressReleaseFactory(title="Embargoed release xyzzy", publish_at=future),
        PressReleaseFactory(title="Withdrawn release xyzzy", status=PressRelease.Status.WITHDRAWN),
        PressReleaseFactory(
            title="Published without date xyzzy",
            status=PressRelease.Status.PUBLISHED,
            publish_at=None,
        ),
    ]


# Visibility --------------------------------------------------------------


def test_only_published_releases_on_home_and_list(client):
    org = OrganisationFactory()
    hidden = _not_public_releases()
    for release in hidden:
        release.organisations.add(org)
    visible = PressReleaseFactory(title="Visible release plugh", organisations=[org])

    for url in (reverse("home"), reverse("search:release_list"), org.get_absolute_url()):
        html = client.get(url).content.decode()
        assert visible.title in html, url
        assert "xyzzy" not in html, url


@pytest.mark.parametrize("index", range(6))
def test_non_public_release_detail_is_404(client, index):
    """Every hidden state is a 404, except withdrawn: GOV.UK's rule, the page
    stays at its address with the withdrawal notice (tests/test_workflow_public.py)."""
    release = _not_public_releases()[index]
    expected = 200 if release.status == PressRelease.Status.WITHDRAWN else 404
    assert client.get(release.get_absolute_url()).status_code == expected


def test_embargoed_release_appears_once_its_time_has_come(client):
    release = PressReleaseFactory(publish_at=timezone.now() + datetime.timedelta(minutes=5))
    assert client.get(release.get_absolute_url()).status_code == 404
    release.publish_at = timezone.now() - datetime.timedelta(seconds=1)
    release.save()
    assert client.get(release.get_absolute_url()).status_code == 200


def test_unknown_release_is_404(client):
    assert client.get(reverse("releases:detail", kwargs={"slug": "no-such"})).status_code == 404


# The release page --------------------------------------------------------


@pytest.fixture
def full_release():
    parent = OrganisationFactory(
        name="Global Migration Body", acronym="GMB", about="<p>Parent boilerplate text.</p>"
    )
    office = OrganisationFactory(
        name="GMB Country Office", acronym="GMB CO", parent=parent, about=""
    )
    commission = OrganisationFactory(
        name="Rights Commission", acronym="RC", about="<p>Commission boilerplate text.</p>"
    )
    press = MediaContactFactory(
        honorific="Ms.",
        name="Amina Press",
        job_title="Press Officer",
        organisation=commission,
        email="amina@example.org",
        phone="+(92) 334 4563210",
        staff_notes=STAFF_NOTE,
    )
    info = MediaContactFactory(
        honorific="Mr.", name="Omar Info", organisation=office, email="omar@example.org"
    )
    internal = MediaContactFactory(name=INTERNAL_NAME, organisation=office, is_public=False)
    retired = MediaContactFactory(name="Retired Person", organisation=office, is_active=False)
    partnership = PartnershipFactory(title="Rights MoU")
    draft_partnership = PartnershipFactory(
        title="Secret draft partnership", status=Partnership.Status.DRAFT
    )
    release = PressReleaseFactory(
        title="Commission and office sign agreement",
        summary="They will work together.",
        dateline_place="Islamabad",
        dateline_date=datetime.date(2023, 10, 18),
        body="<p>First paragraph of the body.</p>",
        organisations=[commission, office],
        tags=["migration", "human rights"],
    )
    for order, (contact, role) in enumerate(
        [
            (press, ReleaseContact.Role.MEDIA),
            (info, ReleaseContact.Role.MORE_INFO),
            (internal, ReleaseContact.Role.MEDIA),
            (retired, ReleaseContact.Role.MORE_INFO),
        ]
    ):
        ReleaseContact.objects.create(release=release, contact=contact, role=role, order=order)
    release.partnerships.add(partnership, draft_partnership)
    release.last_updated_at = timezone.now()
    release.save()
    ChangeNote.objects.create(release=release, note="Corrected the date of signature.")
    return release


def test_release_page_shows_everything_a_journalist_needs(client, full_release):
    response = client.get(full_release.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()

    assert "<h1" in html and full_release.title in html
    assert "Islamabad, 18 October 2023" in html
    assert "First paragraph of the body." in html
    assert "They will work together." in html
    # Contacts, grouped by role, with working links.
    assert "Media contact" in html and "For more information" in html
    assert "Ms. Amina Press" in html and "Mr. Omar Info" in html
    assert 'href="mailto:amina@example.org"' in html
    assert 'href="tel:+923344563210">+92 334 4563210</a>' in html
    # Issuers linked, boilerplates (the office borrows its parent's, named after it).
    assert f'href="{reverse("releases:organisation_detail", kwargs={"slug": "rc"})}"' not in html
    for org in full_release.issuing_organisations:
        assert f'href="{org.get_absolute_url()}"' in html
    assert "About RC" in html and "Commission boilerplate text." in html
    assert "About GMB" in html and "Parent boilerplate text." in html
    # Partnerships (public only), tags, dates and change notes.
    assert "Rights MoU" in html and "Secret draft partnership" not in html
    assert "migration" in html and "human rights" in html
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', html)
    assert "Last updated" in html
    assert "Corrected the date of signature." in html


def test_media_contact_role_comes_before_more_information(client, full_release):
    html = client.get(full_release.get_absolute_url()).content.decode()
    assert html.index("Ms. Amina Press") < html.index("Mr. Omar Info")
    assert html.index(">Media contact<") < html.index(">For more information<")


def test_release_page_never_shows_internal_or_inactive_contacts(client, full_release):
    html = client.get(full_release.get_absolute_url()).content.decode()
    assert INTERNAL_NAME not in html
    assert "Retired Person" not in html
    assert STAFF_NOTE not in html


def test_release_page_has_no_updated_line_without_a_major_change(client):
    release = PressReleaseFactory()
    html = client.get(release.get_absolute_url()).content.decode()
    assert "Last updated" not in html
    assert "Updates to this release" not in html


def test_same_boilerplate_is_printed_once(client):
    parent = OrganisationFactory(acronym="PAR", about="<p>Shared family boilerplate.</p>")
    a = OrganisationFactory(parent=parent, about="")
    b = OrganisationFactory(parent=parent, about="")
    release = PressReleaseFactory(organisations=[parent, a, b])
    html = client.get(release.get_absolute_url()).content.decode()
    assert html.count("Shared family boilerplate.") == 1


def test_release_title_is_escaped(client):
    release = PressReleaseFactory(title='<script>alert("x")</script> Title')
    html = client.get(release.get_absolute_url()).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


# Organisations, contacts, partnerships -----------------------------------


def test_organisation_page_shows_public_contacts_only(client):
    org = OrganisationFactory(
        name="Agency", about="<p>Agency boilerplate.</p>", website="https://agency.example"
    )
    MediaContactFactory(name="Public Person", organisation=org, staff_notes=STAFF_NOTE)
    MediaContactFactory(name=INTERNAL_NAME, organisation=org, is_public=False)
    html = client.get(org.get_absolute_url()).content.decode()
    assert "Public Person" in html
    assert "Agency boilerplate." in html
    assert 'href="https://agency.example"' in html
    assert INTERNAL_NAME not in html
    assert STAFF_NOTE not in html


def test_inactive_organisation_is_404(client):
    org = OrganisationFactory(is_active=False)
    assert client.get(org.get_absolute_url()).status_code == 404
    html = client.get(reverse("releases:organisation_list")).content.decode()
    assert org.name not in html


def test_organisation_list_counts_only_published_releases(client):
    org = OrganisationFactory(name="Counting Org")
    PressReleaseFactory(organisations=[org])
    PressReleaseFactory(organisations=[org], status=PressRelease.Status.DRAFT)
    response = client.get(reverse("releases:organisation_list"))
    (listed,) = [o for o in response.context["organisations"] if o.pk == org.pk]
    assert listed.release_count == 1
    assert "1 press release<" in response.content.decode()


def test_contact_directory_lists_public_contacts_grouped_by_organisation(client):
    alpha = OrganisationFactory(name="Alpha Agency", slug="alpha")
    beta = OrganisationFactory(name="Beta Bureau", slug="beta")
    MediaContactFactory(name="Alice Alpha", organisation=alpha, staff_notes=STAFF_NOTE)
    MediaContactFactory(name="Bob Beta", organisation=beta)
    MediaContactFactory(name=INTERNAL_NAME, organisation=alpha, is_public=False)
    MediaContactFactory(name="Inactive Ida", organisation=alpha, is_active=False)

    html = client.get(reverse("contacts:contact_list")).content.decode()
    assert "Alice Alpha" in html and "Bob Beta" in html
    assert html.index('id="org-alpha"') < html.index("Alice Alpha") < html.index('id="org-beta"')
    assert INTERNAL_NAME not in html and "Inactive Ida" not in html
    assert STAFF_NOTE not in html
    assert '<label class="field__label" for="filter-organisation">' in html


def test_contact_directory_filter_by_organisation(client):
    alpha = OrganisationFactory(name="Alpha Agency", slug="alpha")
    beta = OrganisationFactory(name="Beta Bureau", slug="beta")
    MediaContactFactory(name="Alice Alpha", organisation=alpha)
    MediaContactFactory(name="Bob Beta", organisation=beta)

    html = client.get(reverse("contacts:contact_list"), {"organisation": "beta"}).content.decode()
    assert "Bob Beta" in html and "Alice Alpha" not in html
    assert '<option value="beta" selected' in html


def test_contact_directory_unknown_organisation_says_so(client):
    alpha = OrganisationFactory(name="Alpha Agency", slug="alpha")
    MediaContactFactory(name="Alice Alpha", organisation=alpha)
    response = client.get(reverse("contacts:contact_list"), {"organisation": "<b>nope</b>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No organisation “&lt;b&gt;nope&lt;/b&gt;”" in html
    assert "Alice Alpha" in html


def test_contact_directory_filter_ignores_organisations_without_public_contacts(client):
    hidden = OrganisationFactory(name="Only Internal", slug="only-internal")
    MediaContactFactory(name=INTERNAL_NAME, organisation=hidden, is_public=False)
    html = client.get(
        reverse("contacts:contact_list"), {"organisation": "only-internal"}
    ).content.decode()
    assert INTERNAL_NAME not in html
    assert 'value="only-internal"' not in html


def test_partnership_pages(client):
    nchr = OrganisationFactory(name="Rights Commission")
    iom = OrganisationFactory(name="Migration Office")
    partnership = PartnershipFactory(
        title="Migrants rights MoU",
        summary="They agree to cooperate.",
        signed_on=datetime.date(2023, 10, 18),
    )
    PartnershipMemberFactory(
        partnership=partnership, organisation=nchr, role=PartnershipMember.Role.SIGNATORY
    )
    PartnershipMemberFactory(
        partnership=partnership, organisation=iom, role=PartnershipMember.Role.DONOR
    )
    announced = PressReleaseFactory(title="They signed it")
    announced.partnerships.add(partnership)
    draft = PressReleaseFactory(title="Draft about it xyzzy", status=PressRelease.Status.DRAFT)
    draft.partnerships.add(partnership)
    secret = PartnershipFactory(title="Draft partnership xyzzy", status=Partnership.Status.DRAFT)

    listing = client.get(reverse("contacts:partnership_list")).content.decode()
    assert "Migrants rights MoU" in listing and "xyzzy" not in listing

    html = client.get(partnership.get_absolute_url()).content.decode()
    assert "They agree to cooperate." in html
    assert "Rights Commission" in html and "Signatory" in html
    assert "Migration Office" in html and "Donor" in html
    assert '<time datetime="2023-10-18">18 October 2023</time>' in html
    assert "They signed it" in html and "xyzzy" not in html
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert (
        f'href="{partnership.get_absolute_url()}"'
        in client.get(announced.get_absolute_url()).content.decode()
    )


# Pagination ------------------------------------------------------------


def test_pagination_keeps_other_query_parameters(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    for _ in range(5):
        PressReleaseFactory()
    response = client.get(
        reverse("search:release_list"), {"page": "2", "tag": "migration", "q": "a b"}
    )
    html = response.content.decode()
    assert response.context["page_obj"].number == 2
    assert 'href="?page=3&amp;tag=migration&amp;q=a+b"' in html
    assert 'href="?page=1&amp;tag=migration&amp;q=a+b"' in html
    assert 'rel="next"' in html and 'rel="prev"' in html


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-1", 3),
        ("0", 3),
        ("99999999999999999999999", 3),
        ("abc", 1),
        ("1e3", 1),
        ("2.5", 1),
        ("", 1),
        ("%00", 1),
        ("2", 2),
    ],
)
def test_hostile_page_values_still_show_a_page(client, settings, value, expected):
    settings.NEWSROOM_PAGE_SIZE = 2
    for _ in range(5):
        PressReleaseFactory()
    response = client.get(reverse("search:release_list"), {"page": value})
    assert response.status_code == 200
    assert response.context["page_obj"].number == expected


def test_empty_newsroom_pages_render(client):
    for name in (
        "home",
        "search:release_list",
        "releases:organisation_list",
        "contacts:contact_list",
        "contacts:partnership_list",
    ):
        assert client.get(reverse(name)).status_code == 200, name


# The page frame (accessibility landmarks) --------------------------------


def test_base_template_landmarks_and_search(client):
    html = client.get(reverse("search:release_list")).content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert re.search(r'<form[^>]*role="search"[^>]*action="/search/"[^>]*method="get"', html)
    label = re.search(r'<label[^>]*for="([^"]+)"[^>]*>Search', html)
    assert label and f'id="{label.group(1)}" name="q"' in html
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert 'href="/releases/" aria-current="page"' in html
    assert 'href="/contacts/" aria-current="page"' not in html
    assert re.search(r'<link rel="stylesheet" href="[^"]*print\.css" media="print">', html)
    assert "<footer" in html and 'lang="en-GB"' in html


def test_organisation_logo_is_served_while_the_organisation_is_active(client, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buffer, format="PNG")
    org = OrganisationFactory(logo=SimpleUploadedFile("logo.png", buffer.getvalue()))
    assert org.logo_url == f"/organisations/{org.slug}/logo"
    response = client.get(org.logo_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == buffer.getvalue()
    org.is_active = False
    org.save()
    assert client.get(f"/organisations/{org.slug}/logo").status_code == 404
    assert client.get(f"/organisations/{OrganisationFactory().slug}/logo").status_code == 404

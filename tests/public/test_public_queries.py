"""Every public page runs the same number of SQL queries for 3 items as for 30.

The numbers are pinned: a new N+1 (a template reaching through a relation
that was not prefetched) makes the 30-item case fail, and an extra fixed
query shows up as a changed constant that someone must justify.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from releases.models import ChangeNote, ReleaseContact
from tests.factories import (
    MediaContactFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PressReleaseFactory,
)

pytestmark = pytest.mark.django_db

SIZES = [3, 30]
#: newsroom.caching asks for the content state (one query) before a public
#: view runs; in production a worker reuses it for up to a second.
STATE = 1


def _release_with_links(org, **kwargs):
    contact = MediaContactFactory(organisation=org)
    return PressReleaseFactory(organisations=[org], contacts=[contact], **kwargs)


@pytest.mark.parametrize("n", SIZES)
def test_home_queries(client, django_assert_num_queries, n):
    for _ in range(n):
        _release_with_links(OrganisationFactory(parent=OrganisationFactory()))
    # releases + their issuers, organisations.
    with django_assert_num_queries(3 + STATE):
        response = client.get(reverse("home"))
    assert response.status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_release_list_queries(client, django_assert_num_queries, settings, n):
    settings.NEWSROOM_PAGE_SIZE = 20
    orgs = [OrganisationFactory() for _ in range(3)]
    for _ in range(n):
        PressReleaseFactory(organisations=orgs)
    # Cold: the facet aggregates in one UNION query (their year counts give
    # the total, so no COUNT), the page of releases, their issuers.
    with django_assert_num_queries(1 + 2 + STATE):
        response = client.get(reverse("search:release_list"), {"page": "1"})
    assert response.content.count(b'<article class="release-card">') == min(n, 20)
    assert response.context["page_obj"].paginator.count == n
    # Warm: the facets are remembered for this content state.
    # Page 2 exists only past 20 releases: its rows and issuers are asked
    # once; with fewer, "page 2" is page 1, whose rows are remembered too.
    with django_assert_num_queries((2 if n > 20 else 0) + STATE):
        client.get(reverse("search:release_list"), {"page": "2"})
    with django_assert_num_queries(STATE):
        client.get(reverse("search:release_list"), {"page": "2"})


@pytest.mark.parametrize("n", SIZES)
def test_release_detail_queries(client, django_assert_num_queries, n):
    orgs = [OrganisationFactory(parent=OrganisationFactory(), about="") for _ in range(n)]
    contacts = [MediaContactFactory(organisation=orgs[i % len(orgs)]) for i in range(n)]
    release = PressReleaseFactory(organisations=orgs, tags=[f"topic {i}" for i in range(n)])
    roles = list(ReleaseContact.Role)
    for i, contact in enumerate(contacts):
        ReleaseContact.objects.create(
            release=release, contact=contact, role=roles[i % len(roles)], order=i
        )
    for i in range(n):
        release.partnerships.add(PartnershipFactory())
        ChangeNote.objects.create(
            release=release,
            note=f"Change {i}",
            created_at=timezone.now() - datetime.timedelta(minutes=i),
        )
    # The release, then all its relations (issuers + parents, contacts +
    # organisations, partnerships, tags, change notes, images, attachments)
    # in one UNION ALL (releases.relations).
    with django_assert_num_queries(2 + STATE):
        response = client.get(release.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["contact_groups"]) == 3


@pytest.mark.parametrize("n", SIZES)
def test_organisation_list_queries(client, django_assert_num_queries, n):
    parent = OrganisationFactory()
    for _ in range(n):
        _release_with_links(OrganisationFactory(parent=parent))
    with django_assert_num_queries(1 + STATE):
        response = client.get(reverse("releases:organisation_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_organisation_detail_queries(client, django_assert_num_queries, n):
    org = OrganisationFactory(parent=OrganisationFactory())
    for _ in range(n):
        OrganisationFactory(parent=org)
        MediaContactFactory(organisation=org)
        PressReleaseFactory(organisations=[org, OrganisationFactory()])
        membership = PartnershipMemberFactory(organisation=org)
        PartnershipMemberFactory(partnership=membership.partnership)
    # organisation (+ parent), releases, their issuers, contacts,
    # partnerships, their members, child organisations.
    with django_assert_num_queries(7 + STATE):
        response = client.get(org.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_contact_list_queries(client, django_assert_num_queries, n):
    orgs = [OrganisationFactory() for _ in range(n)]
    for i in range(n):
        MediaContactFactory(organisation=orgs[i])
        MediaContactFactory(organisation=orgs[i])
    # organisations for the filter, contacts (+ organisation).
    with django_assert_num_queries(2 + STATE):
        response = client.get(reverse("contacts:contact_list"))
    assert response.status_code == 200
    with django_assert_num_queries(2 + STATE):
        response = client.get(reverse("contacts:contact_list"), {"organisation": orgs[0].slug})
    assert response.status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_partnership_list_queries(client, django_assert_num_queries, n):
    for _ in range(n):
        membership = PartnershipMemberFactory()
        PartnershipMemberFactory(partnership=membership.partnership)
    # partnerships, their members (+ organisations).
    with django_assert_num_queries(2 + STATE):
        response = client.get(reverse("contacts:partnership_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_partnership_detail_queries(client, django_assert_num_queries, n):
    partnership = PartnershipFactory()
    for i in range(n):
        org = OrganisationFactory()
        PartnershipMemberFactory(partnership=partnership, organisation=org, order=i)
        release = PressReleaseFactory(organisations=[org])
        release.partnerships.add(partnership)
    # partnership, members (+ organisations), releases, their issuers.
    with django_assert_num_queries(4 + STATE):
        response = client.get(partnership.get_absolute_url())
    assert response.status_code == 200

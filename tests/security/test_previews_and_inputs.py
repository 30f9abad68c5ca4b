"""Findings of the hostile test of the production server, each with its regression test.

1. Preview links: only someone with ``releases.add_previewlink`` who may
   edit the release may create or revoke one (real POSTs, as each role).
2. A preview link dies with withdrawal or removal (410, private, noindex)
   and redirects once the release is public.  The embargo matrix
   (``tests/public/test_embargo_matrix.py``) covers the same channel.
3. Out-of-range or absurd embargo instants are refused with a message,
   never a 500 (admin buttons, admin list filters, the parse function).
4. Password spraying: one address is throttled across usernames, without
   locking the sprayed users out elsewhere.
5. Every public 404 and 410 says ``Cache-Control: no-store``.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from releases import workflow
from releases.file_urls import FileUrls
from releases.models import AuditLogEntry, PressRelease, PreviewLink, ReleaseAttachment
from releases.roles import CONTACTS_MANAGER, EDITOR, PUBLISHER, WRITER
from tests.factories import (
    MediaContactFactory,
    OrganisationFactory,
    PressReleaseFactory,
    ReleaseImageFactory,
    UserFactory,
)
from tests.security.test_security_headers import get, production  # noqa: F401 - fixture
from tests.workflow.conftest import PASSWORD, make_user

Status = PressRelease.Status
SECRET_TITLE = "Quillbrook accord text for partner sign-off"


@pytest.fixture
def staff(db):
    """One user per role; ``writer`` wrote the releases, ``writer2`` did not."""
    return {
        "writer": make_user(WRITER, "writer"),
        "writer2": make_user(WRITER, "writer2"),
        "editor": make_user(EDITOR, "editor"),
        "publisher": make_user(PUBLISHER, "publisher"),
        "contacts": make_user(CONTACTS_MANAGER, "contacts"),
    }


def release_in(state: str, author, **extra) -> PressRelease:
    now = timezone.now()
    values = {"status": state, "publish_at": None}
    if state == "live":
        values = {"status": Status.PUBLISHED, "publish_at": now - datetime.timedelta(hours=1)}
    elif state == "scheduled":
        values = {"status": Status.PUBLISHED, "publish_at": now + datetime.timedelta(days=1)}
    values.update(extra)
    return PressReleaseFactory(
        title=SECRET_TITLE, created_by=author, organisations=[OrganisationFactory()], **values
    )


def share_url(release: PressRelease) -> str:
    return reverse("admin:releases_pressrelease_preview_link", args=[release.pk])


def revoke_url(link: PreviewLink) -> str:
    return reverse(
        "admin:releases_pressrelease_revoke_preview_link", args=[link.release_id, link.pk]
    )


def assert_private_gone(response) -> None:
    assert response.status_code == 410
    assert SECRET_TITLE not in response.text
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.text


# -- 1. who may share a preview ----------------------------------------------

SHARING = [
    # (role, state of writer's release, may share?)
    ("writer", "draft", True),  # the author, on their own draft
    ("writer2", "draft", False),  # another writer's draft
    ("contacts", "draft", False),  # may view releases, not share them
    ("editor", "in_review", True),
    ("writer", "in_review", False),  # submitted: no longer the writer's to edit
    ("publisher", "scheduled", True),
    ("publisher", "draft", False),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "state", "allowed"), SHARING)
def test_creating_a_preview_link_needs_the_permission_and_the_right_to_edit(
    client, staff, role, state, allowed
):
    release = release_in(state, staff["writer"])
    client.force_login(staff[role])
    response = client.post(share_url(release), {"days": "3"}, follow=True)
    assert response.status_code == 200
    assert PreviewLink.objects.filter(release=release).exists() is allowed
    change = client.get(reverse("admin:releases_pressrelease_change", args=[release.pk])).text
    assert (share_url(release) in change) is allowed, "the share form is shown iff allowed"
    if not allowed:
        assert "You may not share" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "allowed"), [("writer", True), ("writer2", False), ("contacts", False)]
)
def test_revoking_a_preview_link_needs_the_same(client, staff, role, allowed):
    release = release_in("draft", staff["writer"])
    link = workflow.create_preview_link(release, staff["writer"])
    client.force_login(staff[role])
    client.post(revoke_url(link))
    link.refresh_from_db()
    assert (link.revoked_at is not None) is allowed
    assert (client.get(link.get_absolute_url()).status_code == 410) is allowed


@pytest.mark.django_db
def test_the_right_to_edit_without_the_preview_permission_is_not_enough(staff):
    """An editor whose group lost ``add_previewlink`` may still edit, not share."""
    editor = staff["editor"]
    perm = Permission.objects.get(codename="add_previewlink")
    for group in editor.groups.all():
        group.permissions.remove(perm)
    editor = type(editor).objects.get(pk=editor.pk)  # no cached permissions
    release = release_in("in_review", staff["writer"])
    assert workflow.can_edit(editor, release)
    with pytest.raises(PermissionDenied):
        workflow.create_preview_link(release, editor)
    assert not PreviewLink.objects.exists()


# -- 2. a preview link dies with withdrawal and removal ------------------------


@pytest.mark.django_db
def test_a_link_of_a_release_now_public_redirects_to_the_public_page(client, staff):
    release = release_in("scheduled", staff["writer"])
    link = workflow.create_preview_link(release, staff["publisher"])
    assert SECRET_TITLE in client.get(link.get_absolute_url()).text  # still embargoed
    PressRelease.objects.filter(pk=release.pk).update(publish_at=timezone.now())
    response = client.get(link.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == release.get_absolute_url()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("state", [Status.WITHDRAWN, Status.REMOVED])
def test_a_link_whose_release_left_the_site_is_gone_even_if_not_revoked(client, staff, state):
    """The view's own check, for a link a transition did not revoke (older data)."""
    release = release_in("scheduled", staff["writer"])
    link = workflow.create_preview_link(release, staff["publisher"])
    PressRelease.objects.filter(pk=release.pk).update(status=state)
    response = client.get(link.get_absolute_url())
    assert_private_gone(response)
    assert ("withdrawn" if state == Status.WITHDRAWN else "removed") in response.text
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    links = client.get(reverse("admin:releases_previewlink_changelist")).text
    assert f"Dead: the release was {state}" in links


@pytest.mark.django_db
@pytest.mark.parametrize("transition", ["withdraw", "remove"])
def test_withdrawing_or_removing_revokes_the_open_links_with_an_audit_entry(
    client, staff, transition
):
    release = release_in("scheduled", staff["writer"])
    publisher = staff["publisher"]
    links = [workflow.create_preview_link(release, publisher) for _ in range(2)]
    PressRelease.objects.filter(pk=release.pk).update(publish_at=timezone.now())
    client.force_login(publisher)
    url = reverse("admin:releases_pressrelease_transition", args=[release.pk, transition])
    client.post(url, {"note": "Issued in error."})
    release.refresh_from_db()
    assert release.status in (Status.WITHDRAWN, Status.REMOVED)
    for link in links:
        link.refresh_from_db()
        assert link.revoked_at is not None and link.revoked_by == publisher
        assert_private_gone(client.get(link.get_absolute_url()))
    revocations = AuditLogEntry.objects.filter(
        release=release, action=AuditLogEntry.Action.REVOKE_PREVIEW_LINK, user=publisher
    )
    assert revocations.count() == 2
    change = client.get(reverse("admin:releases_pressrelease_change", args=[release.pk])).text
    assert not any(link.token in change for link in links)


# -- 3. out-of-range and absurd embargo instants ---------------------------------

ABSURD = ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00+14:00"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ABSURD)
@pytest.mark.parametrize(("button", "note"), [("schedule", ""), ("force_publish", "Urgent.")])
def test_out_of_range_embargo_times_are_refused_with_a_message(client, staff, value, button, note):
    release = release_in("approved", staff["writer"])
    client.force_login(staff["publisher"])
    url = reverse("admin:releases_pressrelease_transition", args=[release.pk, button])
    client.raise_request_exception = False
    response = client.post(url, {"publish_at": value, "note": note}, follow=True)
    assert response.status_code == 200
    assert "out of range" in response.text
    release.refresh_from_db()
    assert (release.status, release.publish_at) == (Status.APPROVED, None)


@pytest.mark.django_db
@pytest.mark.parametrize("button", ["schedule", "force_publish"])
def test_an_embargo_years_ahead_is_refused(client, staff, button):
    release = release_in("approved", staff["writer"])
    client.force_login(staff["publisher"])
    url = reverse("admin:releases_pressrelease_transition", args=[release.pk, button])
    later = timezone.now() + datetime.timedelta(days=6 * 365)
    response = client.post(
        url, {"publish_at": later.strftime("%Y-%m-%dT%H:%M"), "note": "Urgent."}, follow=True
    )
    assert "more than 5 years ahead" in response.text
    release.refresh_from_db()
    assert release.status == Status.APPROVED


LIST_FILTERS = [
    # On SQLite the instant overflows on its way to the database; PostgreSQL
    # takes it (and finds nothing): either way a page, never a 500.
    ("releases_pressrelease", "publish_at__gte=9999-12-31T23:59:59-12:00", False),
    ("releases_pressrelease", "publish_at__lt=0001-01-01T00:00%2B14:00", False),
    ("releases_auditlogentry", "publish_at__gte=9999-12-31T23:59:59-12:00", False),
    # A date hierarchy steps to the next day in Python: refused everywhere.
    (
        "releases_pressrelease",
        "publish_at__year=9999&publish_at__month=12&publish_at__day=31",
        True,
    ),
    (
        "releases_auditlogentry",
        "created_at__year=9999&created_at__month=12&created_at__day=31",
        True,
    ),
    ("contacts_partnership", "signed_on__year=9999&signed_on__month=12&signed_on__day=31", True),
    ("bulletins_bulletin", "date__year=9999&date__month=12&date__day=31", True),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("admin_list", "query", "refused"), LIST_FILTERS)
def test_out_of_range_dates_in_the_admin_lists_are_no_500(
    client, django_user_model, admin_list, query, refused
):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org"))
    client.raise_request_exception = False
    response = client.get(f"{reverse(f'admin:{admin_list}_changelist')}?{query}", follow=True)
    assert response.status_code == 200
    if refused:
        assert "out of range" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["published_after", "published_before", "updated_since"])
@pytest.mark.parametrize("value", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00%2B14:00"])
def test_instants_past_the_calendars_ends_are_read_as_its_ends(client, name, value):
    """Valid ISO 8601 that overflows in UTC: no 500, and no 400 either (the
    OpenAPI document admits it): "after year 1" is every release."""
    PressReleaseFactory()
    response = client.get(f"/api/v1/releases/?{name}={value}")
    assert response.status_code == 200
    expected = 1 if (name == "published_before") == value.startswith("9999") else 0
    if name == "updated_since":
        expected = 1 if value.startswith("0001") else 0
    assert response.json()["count"] == expected


EDGE_OFFSETS = st.integers(-24 * 60 + 1, 24 * 60 - 1).map(
    lambda minutes: datetime.timezone(datetime.timedelta(minutes=minutes))
)
TYPED = st.one_of(
    st.text(),
    st.datetimes(timezones=st.one_of(st.none(), EDGE_OFFSETS)).map(datetime.datetime.isoformat),
    st.sampled_from([*ABSURD, "9999-12-31T23:59", "0001-01-01", " 2030-01-01 09:00 ", "\x00"]),
)


@hypothesis_settings(max_examples=400, deadline=None)
@given(TYPED)
def test_parsing_a_typed_embargo_time_never_fails_with_anything_but_a_message(text):
    """The parse function, then the whole input check of both buttons that take a time."""
    now = timezone.now()
    try:
        when = workflow.parse_instant(text)
        if when is not None:
            assert timezone.is_aware(when)
            when.astimezone(datetime.UTC)
            workflow.validate_future(when, now)
    except workflow.TransitionError as exc:
        assert str(exc)
    publisher = get_user_model()(is_superuser=True, is_active=True)
    for name in ("schedule", "force_publish"):
        try:
            given = workflow.TRANSITIONS[name].clean_input(
                publisher, now, note="Why.", publish_at=text
            )
        except workflow.TransitionError as exc:
            assert str(exc)
        else:
            when = given.publish_at
            assert when is None or now < when <= now + workflow.MAX_EMBARGO_AHEAD


# -- 4. password spraying from one address ----------------------------------------


def attempt(client, username: str, password: str, ip: str):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
    )


@pytest.mark.django_db
def test_spraying_many_usernames_from_one_address_is_throttled(client):
    sprayed = [UserFactory(username=f"user{i:02d}", is_staff=True) for i in range(40)]
    answers = [
        attempt(client, user.username, f"guess{n}", "203.0.113.50").status_code
        for user in sprayed
        for n in range(4)
    ]
    assert answers[:29] == [200] * 29  # typos are not punished early
    assert answers[-1] == 429
    UserFactory(username="newcomer", is_staff=True)
    refused = attempt(client, "newcomer", PASSWORD, "203.0.113.50")
    assert refused.status_code == 429
    assert "Sign-in is paused" in refused.text and "several accounts" in refused.text
    assert "_auth_user_id" not in client.session
    # The sprayed people are not locked out: from their own address they sign in.
    assert attempt(client, "user07", PASSWORD, "198.51.100.8").status_code == 302


@pytest.mark.django_db
def test_a_success_from_the_address_does_not_wipe_its_count(client):
    """An attacker's own account must not reset the address's failures."""
    UserFactory(username="insider", is_staff=True)
    for i in range(29):
        assert attempt(client, f"target{i}", "guess", "203.0.113.51").status_code == 200
    assert attempt(client, "insider", PASSWORD, "203.0.113.51").status_code == 302
    client.logout()
    assert attempt(client, "target99", "guess", "203.0.113.51").status_code == 429


# -- 5. no-store on every public 404 and 410 ----------------------------------------


def embargoed_addresses() -> dict[str, str]:
    release = PressReleaseFactory(
        slug="quillbrook-accord",
        publish_at=timezone.now() + datetime.timedelta(hours=2),
        contacts=[MediaContactFactory()],
    )
    image = ReleaseImageFactory(release=release)
    attachment = ReleaseAttachment.objects.create(
        release=release, title="Text", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="text.pdf")
    )
    return {
        "page": release.get_absolute_url(),
        "picture": image.url("original"),
        "rendition": image.url("web"),
        "document": attachment.get_absolute_url(),
        "vcard": reverse("releases:contacts_vcard", kwargs={"slug": release.slug}),
        "media kit": reverse("releases:media_kit", kwargs={"slug": release.slug}),
        "unknown page": "/no-such-page/",
        # A preview's own doors, asked by someone who is neither staff nor holds a link.
        "staff preview picture": FileUrls.staff_preview(release).image(image, "web"),
        "staff preview document": FileUrls.staff_preview(release).attachment(attachment),
        "guessed link picture": FileUrls("preview_", (("token", "x" * 43),)).image(image),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "what",
    [
        "page",
        "picture",
        "rendition",
        "document",
        "vcard",
        "media kit",
        "unknown page",
        "staff preview picture",
        "staff preview document",
        "guessed link picture",
    ],
)
def test_404s_of_an_embargoed_release_are_not_stored(client, production, what):  # noqa: F811
    response = get(client, embargoed_addresses()[what])
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_410_of_a_removed_release_is_not_stored_and_200s_keep_their_caching(
    client,
    production,  # noqa: F811
):
    removed = PressReleaseFactory(status=Status.REMOVED)
    response = get(client, removed.get_absolute_url())
    assert response.status_code == 410
    assert response["Cache-Control"] == "no-store"
    live = PressReleaseFactory()
    response = get(client, live.get_absolute_url())
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public, max-age=")

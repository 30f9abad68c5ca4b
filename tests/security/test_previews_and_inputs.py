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
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from releases import workflow
from releases.models import AuditLogEntry, PressRelease, PreviewLink
from releases.roles import CONTACTS_MANAGER, EDITOR, PUBLISHER, WRITER
from tests.factories import (
    OrganisationFactory,
    PressReleaseFactory,
)
from tests.workflow.conftest import make_user

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

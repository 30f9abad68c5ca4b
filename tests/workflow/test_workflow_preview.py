"""Staff previews and shareable preview links."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from releases import workflow
from releases.models import AuditLogEntry, PreviewLink


def _assert_private(response) -> None:
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives
    assert response["X-Robots-Tag"] == "noindex"


@pytest.mark.django_db
def test_staff_preview_renders_the_public_page_privately(client, writer, make_release):
    release = make_release("draft", title="A draft about the MoU")
    client.force_login(writer)
    response = client.get(reverse("admin:releases_pressrelease_preview", args=[release.pk]))
    assert response.status_code == 200
    assert "A draft about the MoU" in response.text
    assert '<meta name="robots" content="noindex">' in response.text
    assert "Preview — not public" in response.text
    assert "releases/release_detail.html" in [t.name for t in response.templates]
    _assert_private(response)


@pytest.mark.django_db
def test_preview_needs_staff(client, make_release):
    release = make_release("draft")
    response = client.get(reverse("admin:releases_pressrelease_preview", args=[release.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_preview_link_works_without_an_account(client, editor, make_release):
    # Shared by the editor reviewing it: once submitted, it is no longer the writer's to share.
    release = make_release("in_review", title="Joint statement for partner sign-off")
    link = workflow.create_preview_link(release, editor)
    assert link.expires_at - link.created_at == datetime.timedelta(days=7)
    response = client.get(link.get_absolute_url())
    assert response.status_code == 200
    assert "Joint statement for partner sign-off" in response.text
    assert '<meta name="robots" content="noindex">' in response.text
    _assert_private(response)
    link.refresh_from_db()
    assert link.last_used_at is not None
    assert AuditLogEntry.objects.filter(release=release, action="preview_link").exists()


@pytest.mark.django_db
def test_expired_preview_link_is_gone(client, writer, make_release):
    release = make_release("draft", title="Secret draft title")
    link = workflow.create_preview_link(release, writer)
    PreviewLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(link.get_absolute_url())
    assert response.status_code == 410
    assert "expired" in response.text
    assert "Secret draft title" not in response.text
    _assert_private(response)


@pytest.mark.django_db
def test_revoked_preview_link_is_gone(client, writer, make_release):
    release = make_release("draft", title="Secret draft title")
    link = workflow.create_preview_link(release, writer)
    assert client.get(link.get_absolute_url()).status_code == 200
    workflow.revoke_preview_link(link, writer)
    response = client.get(link.get_absolute_url())
    assert response.status_code == 410
    assert "revoked" in response.text
    assert "Secret draft title" not in response.text


@pytest.mark.django_db
def test_unknown_token_is_404(client):
    assert client.get(reverse("releases:preview_link", args=["not-a-token"])).status_code == 404


@pytest.mark.django_db
def test_links_created_and_revoked_from_the_admin(client, writer, make_release):
    release = make_release("draft")
    client.force_login(writer)
    response = client.post(
        reverse("admin:releases_pressrelease_preview_link", args=[release.pk]), {"days": "3"}
    )
    assert response.status_code == 302
    link = PreviewLink.objects.get(release=release)
    assert round((link.expires_at - link.created_at).total_seconds()) == 3 * 86400
    change = client.get(reverse("admin:releases_pressrelease_change", args=[release.pk]))
    assert link.get_absolute_url() in change.text
    client.post(
        reverse("admin:releases_pressrelease_revoke_preview_link", args=[release.pk, link.pk])
    )
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == writer
    # Out of range lifetimes are refused with a message, not a 500.
    response = client.post(
        reverse("admin:releases_pressrelease_preview_link", args=[release.pk]),
        {"days": "900"},
        follow=True,
    )
    assert "between 1 and 30 days" in response.text
    assert PreviewLink.objects.filter(release=release).count() == 1

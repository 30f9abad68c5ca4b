"""A force-publish waits for a second look, which only a second person with the right role takes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from releases import workflow
from releases.models import AuditLogEntry

pytestmark = pytest.mark.django_db

Action = AuditLogEntry.Action


@pytest.fixture
def forced(publisher, make_release):
    """A release its own submitter had to force-publish: flagged for a second look."""
    release = make_release("approved", title="Flood warning", created_by=publisher)
    workflow.force_publish(release, publisher, reason="The flood is tonight.")
    return AuditLogEntry.objects.get(release=release, action=Action.FORCE_PUBLISH)


def test_force_publish_waits_for_a_second_look(forced):
    assert forced.needs_second_look and forced.checked_at is None
    assert list(workflow.awaiting_second_look()) == [forced]


def test_a_second_editor_marks_it_checked(forced, editor):
    record = workflow.mark_checked(forced, editor, note="Read it; fine.")
    forced.refresh_from_db()
    assert forced.checked_by == editor and forced.checked_at is not None
    assert record.action == Action.CHECK and record.user == editor
    assert record.release == forced.release and "Read it; fine." in record.note
    assert not workflow.awaiting_second_look().exists()
    assert forced.needs_second_look  # the flag stays: the log says what happened


def test_a_second_publisher_may_check_too(forced, publisher2):
    workflow.mark_checked(forced, publisher2)
    assert AuditLogEntry.objects.filter(action=Action.CHECK, user=publisher2).exists()


def test_the_person_who_forced_it_may_not(forced, publisher):
    with pytest.raises(PermissionDenied, match="someone else must take the second look"):
        workflow.mark_checked(forced, publisher)
    forced.refresh_from_db()
    assert forced.checked_at is None
    assert not AuditLogEntry.objects.filter(action=Action.CHECK).exists()


@pytest.mark.parametrize("role", ["writer", "contacts_manager"])
def test_roles_that_do_not_review_or_publish_may_not(forced, request, role):
    with pytest.raises(PermissionDenied, match="Only an editor or a publisher"):
        workflow.mark_checked(forced, request.getfixturevalue(role))


def test_checked_once_only(forced, editor, editor2):
    workflow.mark_checked(forced, editor)
    with pytest.raises(workflow.TransitionError, match="Already checked by editor"):
        workflow.mark_checked(forced, editor2)
    assert AuditLogEntry.objects.filter(action=Action.CHECK).count() == 1


def test_an_unflagged_entry_cannot_be_checked(editor, writer, make_release):
    release = make_release("draft")
    workflow.submit(release, writer)
    entry = AuditLogEntry.objects.get(action=Action.SUBMIT)
    with pytest.raises(workflow.TransitionError, match="not flagged"):
        workflow.mark_checked(entry, editor)


def test_the_dashboard_button(client, forced, editor, publisher):
    url = reverse("admin:desk_mark_checked", args=[forced.pk])
    client.force_login(publisher)
    section = client.get(reverse("admin:index")).content.decode().split('id="desk-second_look"')[1]
    section = section.split("</section>")[0]
    assert "Flood warning" in section and "yours: someone else must check it" in section
    assert url not in section  # no button for the person who forced it
    response = client.post(url, follow=True)
    assert "was not marked as checked" in response.content.decode()
    forced.refresh_from_db()
    assert forced.checked_at is None

    client.force_login(editor)
    page = client.get(reverse("admin:index")).content.decode()
    assert url in page and "Mark as checked" in page
    assert client.get(url).status_code == 405  # a GET changes nothing
    response = client.post(url, follow=True)
    assert "second look recorded" in response.content.decode()
    forced.refresh_from_db()
    assert forced.checked_by == editor
    assert "No force-publish waits for a second look." in response.content.decode()


def test_an_unknown_entry_is_404(client, editor):
    client.force_login(editor)
    assert client.post(reverse("admin:desk_mark_checked", args=[999999])).status_code == 404

"""A substantive edit after approval sends the release back for review.

Found by a hostile test: a publisher replaced the title and body of a
scheduled release, an editor edited an approved one, and both stayed as they
were, unflagged: a scheduled release would have gone out with text nobody
approved.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from releases import workflow
from releases.models import AuditLogEntry, PressRelease
from tests.factories import ReleaseImageFactory
from tests.files.support import image_bytes, upload
from tests.security.test_release_files_and_revisions import release_form_data

Status = PressRelease.Status
Action = AuditLogEntry.Action
pytestmark = pytest.mark.django_db


def change_url(release: PressRelease) -> str:
    return reverse("admin:releases_pressrelease_change", args=[release.pk])


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_publisher_rewriting_a_scheduled_release_sends_it_back(client, publisher, make_release):
    release = make_release("scheduled", title="Approved title", body="<p>Approved text.</p>")
    client.force_login(publisher)
    data = release_form_data(release, title="Rewritten title", body="<p>Text nobody read.</p>")
    response = client.post(change_url(release), data, follow=True)
    assert response.status_code == 200
    release.refresh_from_db()
    assert release.title == "Rewritten title"
    assert release.status == Status.IN_REVIEW
    assert release.publish_at is None  # the embargo is cleared: nothing goes out unapproved
    assert not PressRelease.objects.published().filter(pk=release.pk).exists()
    assert not PressRelease.objects.scheduled().filter(pk=release.pk).exists()
    sent_back = AuditLogEntry.objects.filter(release=release).first()
    assert sent_back.from_status == Status.PUBLISHED and sent_back.to_status == Status.IN_REVIEW
    assert sent_back.user == publisher
    assert "sent back for review after an edit by publisher" in sent_back.note.lower()
    text = messages_of(response)
    assert "back for review" in text and "embargo" in text


def test_editor_editing_an_approved_release_sends_it_back(
    client, editor, administrator, make_release
):
    release = make_release("approved")
    client.force_login(editor)
    response = client.post(
        change_url(release), release_form_data(release, summary="A new summary."), follow=True
    )
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW and release.summary == "A new summary."
    assert "back for review" in messages_of(response)
    entry = AuditLogEntry.objects.filter(release=release, to_status=Status.IN_REVIEW).get()
    assert "editor" in entry.note and entry.from_status == Status.APPROVED
    # The editor who changed it is not its second look: another editor approves.
    with pytest.raises(PermissionDenied, match="another editor"):
        workflow.approve(release, editor)
    workflow.approve(release, administrator)
    release.refresh_from_db()
    assert release.status == Status.APPROVED


@pytest.mark.parametrize(
    "field,value",
    [
        ("title", "Another title"),
        ("body", "<p>Another body.</p>"),
        ("dateline_place", "Karachi"),
        ("dateline_date", "2024-01-02"),
    ],
)
def test_every_text_field_counts(client, editor, make_release, field, value):
    release = make_release("approved")
    client.force_login(editor)
    client.post(change_url(release), release_form_data(release, **{field: value}))
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW, field


def test_changing_a_picture_of_an_approved_release_sends_it_back(client, editor, make_release):
    release = make_release("approved")
    ReleaseImageFactory(release=release, caption="Approved caption", image=upload(image_bytes()))
    client.force_login(editor)
    data = release_form_data(release, **{"images-0-caption": "Unapproved caption"})
    assert client.post(change_url(release), data).status_code == 302
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW


def test_a_non_substantive_edit_leaves_the_approval(client, editor, make_release):
    """Topics are filing, not text the reader is told: no second review for them."""
    release = make_release("approved")
    client.force_login(editor)
    response = client.post(change_url(release), release_form_data(release, tags="floods"))
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == Status.APPROVED
    assert set(release.tags.names()) == {"floods"}


def test_the_change_form_warns_before_saving(client, editor, publisher, make_release):
    approved = make_release("approved")
    scheduled = make_release("scheduled")
    draft = make_release("draft", created_by=editor)
    client.force_login(editor)
    assert "will send it back for review" in client.get(change_url(approved)).text
    assert "will send it back for review" not in client.get(change_url(draft)).text
    client.force_login(publisher)
    page = client.get(change_url(scheduled)).text
    assert "will send it back for review" in page and "embargo" in page


def test_restoring_a_revision_of_a_scheduled_release_sends_it_back(client, publisher, make_release):
    release = make_release("scheduled", title="Approved title")
    import reversion

    with reversion.create_revision():
        release.title = "An older title"
        release.save()
    older = workflow.versions_of(release).first()
    release.title = "Approved title"
    release.save()
    client.force_login(publisher)
    response = client.post(
        reverse("admin:releases_pressrelease_restore", args=[release.pk, older.pk]), follow=True
    )
    release.refresh_from_db()
    assert release.title == "An older title"
    assert release.status == Status.IN_REVIEW and release.publish_at is None
    assert "back for review" in messages_of(response)


def test_record_edit_sends_back_when_told_of_a_substantive_change(editor, make_release):
    release = make_release("approved")
    workflow.record_edit(release, editor, changes=workflow.ContentChanges(fields=("title",)))
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW
    assert AuditLogEntry.objects.filter(release=release, action=Action.SUBMIT).exists()
    other = make_release("approved")
    workflow.record_edit(other, editor, changes=workflow.ContentChanges(fields=("tags",)))
    other.refresh_from_db()
    assert other.status == Status.APPROVED

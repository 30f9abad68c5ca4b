"""Every transition for every role, refusals by state, and what each leaves behind."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections, connection
from django.utils import timezone

from releases import workflow
from releases.models import AuditLogEntry, ChangeNote, PressRelease

Status = PressRelease.Status
ROLES = ["writer", "editor", "publisher", "contacts_manager", "administrator"]
FUTURE = datetime.timedelta(days=2)


def _do(name: str, release: PressRelease, user) -> PressRelease:
    data: dict = {"note": "Because the figures changed."}
    if name in {"schedule"}:
        data["publish_at"] = timezone.now() + FUTURE
    return workflow.apply_transition(name, release, user, data)


# transition -> (starting state, resulting status, roles allowed)
MATRIX = {
    "submit": ("draft", Status.IN_REVIEW, {"writer", "editor", "administrator"}),
    "approve": ("in_review", Status.APPROVED, {"editor", "administrator"}),
    "reject": ("in_review", Status.DRAFT, {"editor", "administrator"}),
    "publish": ("approved", Status.PUBLISHED, {"publisher", "administrator"}),
    "schedule": ("approved", Status.PUBLISHED, {"publisher", "administrator"}),
    "unschedule": ("scheduled", Status.APPROVED, {"publisher", "administrator"}),
    "withdraw": ("live", Status.WITHDRAWN, {"publisher", "administrator"}),
    "remove": ("live", Status.REMOVED, {"publisher", "administrator"}),
    "force_publish": ("in_review", Status.PUBLISHED, {"publisher", "administrator"}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(MATRIX))
def test_role_matrix(name, role, users, make_release):
    start, result, allowed = MATRIX[name]
    release = make_release(start)
    before = release.status
    user = users[role]
    if role in allowed:
        _do(name, release, user)
        release.refresh_from_db()
        assert release.status == result
        entry = AuditLogEntry.objects.get(release=release, action=name)
        assert entry.user == user
        assert entry.from_status == before
        assert entry.to_status == result
        assert entry.needs_second_look is (name == "force_publish")
    else:
        with pytest.raises(PermissionDenied):
            _do(name, release, user)
        release.refresh_from_db()
        assert release.status == before
        assert not AuditLogEntry.objects.filter(release=release).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "state"),
    [
        ("submit", "in_review"),
        ("approve", "draft"),
        ("reject", "approved"),
        ("publish", "draft"),
        ("publish", "in_review"),
        ("schedule", "live"),
        ("unschedule", "live"),
        ("withdraw", "scheduled"),
        ("withdraw", "draft"),
        ("remove", "scheduled"),
        ("force_publish", "live"),
        ("force_publish", "withdrawn"),
    ],
)
def test_wrong_state_is_refused_with_a_message(name, state, administrator, make_release):
    release = make_release(state)
    with pytest.raises(workflow.TransitionError) as excinfo:
        _do(name, release, administrator)
    assert str(excinfo.value)
    release.refresh_from_db()
    assert not AuditLogEntry.objects.filter(release=release).exists()


@pytest.mark.django_db
def test_writer_edits_only_own_drafts(writer, other_writer, editor, make_release):
    mine = make_release("draft")
    theirs = make_release("draft", created_by=other_writer)
    assert workflow.can_edit(writer, mine)
    assert not workflow.can_edit(writer, theirs)
    assert workflow.can_edit(editor, theirs)
    with pytest.raises(PermissionDenied):
        workflow.submit(theirs, writer)
    in_review = make_release("in_review")
    assert not workflow.can_edit(writer, in_review)


@pytest.mark.django_db
def test_rejected_draft_goes_back_to_its_author(writer, editor, make_release):
    release = make_release("draft")
    workflow.submit(release, writer)
    with pytest.raises(workflow.TransitionError, match="needs a note"):
        workflow.reject(release, editor, note="  ")
    workflow.reject(release, editor, note="Add the number of districts.")
    assert release.status == Status.DRAFT
    assert workflow.can_edit(writer, release)
    entry = AuditLogEntry.objects.get(release=release, action="reject")
    assert entry.note == "Add the number of districts."


@pytest.mark.django_db
def test_withdrawn_and_removed_are_frozen(administrator, make_release):
    assert not workflow.can_edit(administrator, make_release("withdrawn"))
    assert not workflow.can_edit(administrator, make_release("removed"))


@pytest.mark.django_db
def test_publisher_may_not_publish_what_they_submitted(publisher, editor, make_release):
    release = make_release("draft", created_by=publisher)
    # A publisher holds change permission: they may submit their own draft.
    workflow.submit(release, publisher)
    workflow.approve(release, editor)
    with pytest.raises(PermissionDenied, match="someone else must publish"):
        workflow.publish(release, publisher)
    with pytest.raises(PermissionDenied):
        workflow.schedule(release, publisher, publish_at=timezone.now() + FUTURE)
    assert [t.name for t in workflow.available_transitions(publisher, release)] == ["force_publish"]
    with pytest.raises(workflow.TransitionError, match="needs a reason"):
        workflow.force_publish(release, publisher, reason="")
    workflow.force_publish(release, publisher, reason="Minister speaks at noon.")
    assert release.status == Status.PUBLISHED and release.is_public
    entry = AuditLogEntry.objects.get(release=release, action="force_publish")
    assert entry.needs_second_look and entry.note == "Minister speaks at noon."


@pytest.mark.django_db
def test_editor_may_not_approve_own_submission(editor, make_release):
    release = make_release("draft", created_by=editor)
    workflow.submit(release, editor)
    with pytest.raises(PermissionDenied, match="another editor"):
        workflow.approve(release, editor)


@pytest.mark.django_db
def test_scheduling_in_the_past_is_refused(publisher, make_release):
    release = make_release("approved")
    past = timezone.now() - datetime.timedelta(minutes=5)
    with pytest.raises(workflow.TransitionError, match="in the past"):
        workflow.schedule(release, publisher, publish_at=past)
    with pytest.raises(workflow.TransitionError, match="date and time"):
        workflow.schedule(release, publisher, publish_at=None)
    release.refresh_from_db()
    assert release.status == Status.APPROVED and release.publish_at is None


@pytest.mark.django_db
def test_schedule_then_unschedule_leaves_no_false_first_publication(publisher, make_release):
    release = make_release("approved")
    when = timezone.now() + FUTURE
    workflow.schedule(release, publisher, publish_at=when)
    assert release.is_scheduled and release.publish_at == when
    assert not PressRelease.objects.published().filter(pk=release.pk).exists()
    workflow.unschedule(release, publisher)
    release.refresh_from_db()
    assert release.status == Status.APPROVED
    assert release.publish_at is None and release.first_published_at is None


@pytest.mark.django_db
def test_publish_sets_first_published_and_withdraw_keeps_the_page(publisher, make_release):
    release = make_release("approved")
    workflow.publish(release, publisher)
    assert release.first_published_at == release.publish_at
    with pytest.raises(workflow.TransitionError, match="explanation"):
        workflow.withdraw(release, publisher, explanation="")
    workflow.withdraw(release, publisher, explanation="Replaced by the joint statement.")
    release.refresh_from_db()
    assert release.status == Status.WITHDRAWN
    assert release.withdrawal_reason == "Replaced by the joint statement."
    assert release.withdrawn_at is not None
    assert PressRelease.objects.viewable().filter(pk=release.pk).exists()
    assert not PressRelease.objects.published().filter(pk=release.pk).exists()


@pytest.mark.django_db
def test_major_correction_adds_change_note_minor_does_not(editor, make_release):
    release = make_release("live")
    workflow.record_edit(release, editor, major=False)
    assert not ChangeNote.objects.filter(release=release).exists()
    assert release.last_updated_at is None
    with pytest.raises(workflow.TransitionError):
        workflow.record_edit(release, editor, major=True, change_note="")
    workflow.record_edit(release, editor, major=True, change_note="Corrected the date.")
    release.refresh_from_db()
    note = ChangeNote.objects.get(release=release)
    assert note.note == "Corrected the date." and note.created_by == editor
    assert release.last_updated_at == note.created_at
    assert list(AuditLogEntry.objects.filter(release=release).values_list("action", flat=True)) == [
        "correct",
        "edit",
    ]


@pytest.mark.django_db
def test_transitions_keep_a_revision_with_user_and_comment(writer, make_release):
    release = make_release("draft")
    workflow.submit(release, writer, note="Ready")
    version = workflow.versions_of(release).first()
    assert version.revision.user == writer
    assert "Submitted for review" in version.revision.get_comment()
    assert version.field_dict["status"] == Status.IN_REVIEW


@pytest.mark.django_db
def test_stale_instance_is_checked_against_the_locked_row(writer, editor, make_release):
    """The state check uses the row as it is now, not the caller's copy."""
    release = make_release("draft")
    stale = PressRelease.objects.get(pk=release.pk)
    workflow.submit(release, writer)
    with pytest.raises(workflow.TransitionError):
        workflow.submit(stale, writer)
    assert stale.status == Status.DRAFT  # untouched by a refusal
    assert AuditLogEntry.objects.filter(release=release, action="submit").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_publish_happens_once(publisher, administrator, make_release):
    """Two publishers click at once: the row lock lets exactly one through."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    release = make_release("approved")
    results: list[str] = []
    barrier = threading.Barrier(2)

    def click(user) -> None:
        try:
            barrier.wait()
            workflow.publish(PressRelease.objects.get(pk=release.pk), user)
            results.append("ok")
        except workflow.TransitionError:
            results.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=click, args=(u,)) for u in (publisher, administrator)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert AuditLogEntry.objects.filter(release=release, action="publish").count() == 1

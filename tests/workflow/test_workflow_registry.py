"""The transition registry: one class per transition, and everything derived from it.

The buttons (``available_transitions``), ``apply_transition`` and the admin's
bulk actions must all come from the registry, so that a new transition is
one class and nothing else.  The last tests prove it with a transition
defined here, registered for the test and unregistered afterwards.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from releases import workflow
from releases.models import AuditLogEntry, PressRelease
from releases.workflow import Transition, TransitionError
from releases.workflow.permissions import PERM_REVIEW, Action, Status

#: The nine transitions, in the order the admin draws their buttons.
NINE = [
    "submit",
    "approve",
    "reject",
    "publish",
    "schedule",
    "unschedule",
    "withdraw",
    "remove",
    "force_publish",
]

#: What each transition takes from a form's data: only the fields it asks for.
READS = {
    "submit": {"note"},
    "approve": {"note"},
    "reject": {"note"},
    "publish": set(),
    "schedule": {"publish_at"},
    "unschedule": {"note"},
    "withdraw": {"note"},
    "remove": {"note"},
    "force_publish": {"note", "publish_at"},
}

#: transition -> (state of the release before, status after)
ROUTES = {
    "submit": ("draft", Status.IN_REVIEW),
    "approve": ("in_review", Status.APPROVED),
    "reject": ("in_review", Status.DRAFT),
    "publish": ("approved", Status.PUBLISHED),
    "schedule": ("approved", Status.PUBLISHED),
    "unschedule": ("scheduled", Status.APPROVED),
    "withdraw": ("live", Status.WITHDRAWN),
    "remove": ("live", Status.REMOVED),
    "force_publish": ("in_review", Status.PUBLISHED),
}


def test_the_registry_holds_the_nine_transitions_in_button_order():
    assert list(workflow.TRANSITIONS) == NINE
    assert set(READS) == set(ROUTES) == set(NINE)


@pytest.mark.parametrize("name", NINE)
def test_every_transition_has_a_label_a_check_and_an_apply(name):
    transition = workflow.TRANSITIONS[name]
    assert isinstance(transition, Transition)
    assert transition.name == name
    assert transition.label.strip()
    assert transition.action in AuditLogEntry.Action.values
    # Its own check and its own change, not the base class's placeholders.
    assert type(transition).check_state is not Transition.check_state
    assert type(transition).apply is not Transition.apply
    assert transition.needs_note in ("", "optional", "required")
    if transition.needs_note:
        assert transition.note_label.strip()
    if transition.needs_note == "required":
        assert transition.note_missing_message.strip()
    assert isinstance(transition.needs_time, bool) and isinstance(transition.danger, bool)


@pytest.mark.django_db
@pytest.mark.parametrize("name", NINE)
def test_every_check_refuses_someone_without_the_permission(name, contacts_manager, make_release):
    """A check that let everyone through would still pass the completeness test above."""
    release = make_release(ROUTES[name][0])
    with pytest.raises(PermissionDenied):
        workflow.TRANSITIONS[name].check(contacts_manager, release, timezone.now())


@pytest.mark.parametrize("name", NINE)
def test_apply_transition_dispatches_by_name_with_only_the_input_it_reads(name, monkeypatch):
    calls = []

    def spy(self, release, user, **given):
        calls.append((self.name, release, user, given))
        return release

    monkeypatch.setattr(Transition, "run", spy)
    release, user = PressRelease(title="Not saved"), AnonymousUser()
    when = timezone.now() + datetime.timedelta(days=1)
    data = {"note": "A note", "publish_at": when, "status": "published"}
    assert workflow.apply_transition(name, release, user, data) is release
    expected = {"note": "A note", "publish_at": when}
    assert calls == [(name, release, user, {k: expected[k] for k in READS[name]})]


@pytest.mark.django_db
@pytest.mark.parametrize("name", NINE)
def test_apply_transition_runs_the_named_transition(name, administrator, make_release):
    start, result = ROUTES[name]
    release = make_release(start)
    before = release.status
    when = timezone.now() + datetime.timedelta(days=2)
    workflow.apply_transition(name, release, administrator, {"note": "Why.", "publish_at": when})
    assert release.status == result
    release.refresh_from_db()
    assert release.status == result
    entry = AuditLogEntry.objects.get(release=release)
    assert (entry.action, entry.from_status, entry.to_status) == (name, before, result)
    assert entry.user == administrator


@pytest.mark.django_db
def test_an_unknown_name_is_a_transition_error_and_changes_nothing(administrator, make_release):
    release = make_release("approved")
    with pytest.raises(TransitionError, match="Unknown action “go_live”"):
        workflow.apply_transition("go_live", release, administrator, {"note": "x"})
    with pytest.raises(TransitionError):
        workflow.get_transition("go_live")
    release.refresh_from_db()
    assert release.status == Status.APPROVED
    assert not AuditLogEntry.objects.filter(release=release).exists()


# --------------------------------------------------------------------------
# A transition that is not part of the workflow, added for these tests only
# --------------------------------------------------------------------------


class SendBack(Transition):
    """Approved → in review again: an editor wants another look before it goes out."""

    name = "send_back"
    label = "Send back for review"
    action = Action.REJECT
    permission = PERM_REVIEW
    permission_message = "Only an editor can send a release back."
    needs_note = "optional"
    note_label = "What needs another look"
    bulk_label = "Send selected releases back for review"

    def check_state(self, user, release, now):
        if release.status != Status.APPROVED:
            raise TransitionError("Only an approved release can be sent back for review.")

    def apply(self, release, now, given):
        release.status = Status.IN_REVIEW


def action_options(client) -> dict[str, str]:
    """The bulk actions offered on the release list: value -> label."""
    page = client.get(reverse("admin:releases_pressrelease_changelist")).text
    select = re.search(r'<select name="action".*?</select>', page, re.S)
    assert select, "the release list shows no actions"
    return dict(re.findall(r'<option value="(\w+)">([^<]+)</option>', select.group(0)))


@pytest.fixture
def send_back():
    workflow.register(SendBack)
    yield workflow.TRANSITIONS["send_back"]
    workflow.unregister("send_back")


def test_registering_refuses_an_incomplete_or_duplicate_transition():
    class NoApply(Transition):
        name, label, action = "no_apply", "No apply", Action.EDIT
        permission, permission_message = PERM_REVIEW, "No."

        def check_state(self, user, release, now):
            pass

    class Unlabelled(SendBack):
        name, label = "unlabelled", ""

    class SecondPublish(SendBack):
        name = "publish"

    class BulkWithRequiredNote(SendBack):
        name, needs_note, note_missing_message = "bulk_note", "required", "Say why."

    for cls, problem in [
        (NoApply, "apply"),
        (Unlabelled, "label"),
        (SecondPublish, "taken"),
        (BulkWithRequiredNote, "bulk action"),
    ]:
        with pytest.raises(ImproperlyConfigured, match=problem):
            workflow.register(cls)
    assert list(workflow.TRANSITIONS) == NINE
    assert type(workflow.TRANSITIONS["publish"]).__name__ == "Publish"


@pytest.mark.django_db
def test_a_new_transition_is_offered_once_registered(
    send_back, editor, writer, administrator, make_release
):
    release = make_release("approved")
    assert [t.name for t in workflow.available_transitions(editor, release)] == ["send_back"]
    assert workflow.available_transitions(writer, release) == []
    # Appended after the nine, and the force-publish rule still holds beside it.
    names = [t.name for t in workflow.available_transitions(administrator, release)]
    assert names == ["publish", "schedule", "send_back"]
    draft = make_release("draft")
    assert "send_back" not in [t.name for t in workflow.available_transitions(editor, draft)]


@pytest.mark.django_db
def test_a_new_transition_is_applied_by_name_once_registered(editor, make_release, request):
    release = make_release("approved")
    with pytest.raises(TransitionError, match="Unknown action"):
        workflow.apply_transition("send_back", release, editor, {})
    request.getfixturevalue("send_back")
    workflow.apply_transition("send_back", release, editor, {"note": "  Check the figures. "})
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW and release.updated_by == editor
    entry = AuditLogEntry.objects.get(release=release)
    assert (entry.action, entry.from_status, entry.to_status) == ("reject", "approved", "in_review")
    assert entry.note == "Check the figures."
    revision = Version.objects.get_for_object(release).get().revision
    assert revision.get_comment() == "Rejected: Check the figures."
    # Its check runs on the locked row like the others': a second click is refused.
    with pytest.raises(TransitionError, match="Only an approved release"):
        workflow.apply_transition("send_back", release, editor, {})


@pytest.mark.django_db
def test_a_new_transition_gets_its_button_and_bulk_action(send_back, client, editor, make_release):
    release = make_release("approved", title="Figures to check")
    client.force_login(editor)
    change = reverse("admin:releases_pressrelease_change", args=[release.pk])
    url = reverse("admin:releases_pressrelease_transition", args=[release.pk, "send_back"])
    page = client.get(change).text
    # An editor who may edit the release presses it inside the change form
    # (the form is saved first); the transition's own URL still applies it.
    assert 'name="_transition" value="send_back"' in page
    assert ">Send back for review</button>" in page and "What needs another look" in page
    response = client.post(url, {"note": "Second look"}, follow=True)
    assert "Send back for review: done. “Figures to check” is now in review." in response.text
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW

    changelist = reverse("admin:releases_pressrelease_changelist")
    assert action_options(client)["send_back_selected"] == "Send selected releases back for review"
    others = [make_release("approved"), make_release("approved")]
    response = client.post(
        changelist,
        {"action": "send_back_selected", "_selected_action": [r.pk for r in others]},
        follow=True,
    )
    assert "Send back for review: 2 release(s)." in response.text
    assert {r.status for r in PressRelease.objects.filter(pk__in=[r.pk for r in others])} == {
        Status.IN_REVIEW
    }


@pytest.mark.django_db
def test_bulk_actions_are_the_registrys_and_only_theirs(client, editor, make_release):
    """Today submit and approve; a registered transition adds its own (test above)."""
    make_release("draft")  # the list shows no actions while it is empty
    client.force_login(editor)
    options = action_options(client)
    options.pop("delete_selected", None)
    # Not transitions: the apps above releases plug their own links in (reach's panel).
    assert options.pop("reach") == "Reach (views, downloads)…"
    assert options == {
        "submit_selected": "Submit selected drafts for review",
        "approve_selected": "Approve selected releases in review",
    }
    assert [t.name for t in workflow.bulk_transitions()] == ["submit", "approve"]

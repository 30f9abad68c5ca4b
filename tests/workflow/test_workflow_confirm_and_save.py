"""Issue 12, items 1, 2 and 10: confirmation pages, save-then-transition, readable staff views.

* A destructive or exceptional transition (``danger``) is a link to a GET
  confirmation page saying what will happen; POST applies it.
* A workflow button pressed in the change form saves the form first; a form
  that fails validation changes no state.
* The read-only view renders the body and lists topics as tags; history lines
  are plain words; the revision comparison shows text, not HTML.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from reversion.models import Version

from releases import workflow
from releases.models import AuditLogEntry, PressRelease
from tests.workflow.test_workflow_admin import change_url, form_data

Status = PressRelease.Status


def transition_url(release: PressRelease, name: str) -> str:
    return reverse("admin:releases_pressrelease_transition", args=[release.pk, name])


# ---------------------------------------------------------------------------
# Item 1: confirmation pages
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_danger_transitions_are_links_to_a_confirmation_page_not_forms(
    client, publisher, make_release
):
    release = make_release("live", title="Wells for Tharparkar")
    client.force_login(publisher)
    page = client.get(change_url(release)).text
    # The red button submits the change form (so edits are saved first) and
    # leads to the confirmation page; nothing posts straight to "withdraw".
    assert 'name="_transition" value="withdraw"' in page
    assert 'class="wf-button-danger">Withdraw…</button>' in page
    assert f'action="{transition_url(release, "withdraw")}"' not in page


@pytest.mark.django_db
def test_a_publisher_who_cannot_edit_gets_a_link_to_the_confirmation_page(
    client, publisher, make_release
):
    release = make_release("withdrawn")  # frozen: no change form to save
    client.force_login(publisher)
    page = client.get(change_url(release)).text
    assert f'href="{transition_url(release, "remove")}"' in page
    assert 'name="_transition"' not in page


@pytest.mark.django_db
def test_the_withdraw_confirmation_says_what_will_happen_and_changes_nothing(
    client, publisher, make_release, django_assert_max_num_queries
):
    release = make_release("live", title="Wells for Tharparkar")
    client.force_login(publisher)
    with django_assert_max_num_queries(12):
        response = client.get(transition_url(release, "withdraw"))
    assert response.status_code == 200
    text = response.text
    assert "Withdraw: are you sure?" in text
    assert "Wells for Tharparkar" in text and "Published" in text
    assert "disappears from the newsroom" in text and "says it was withdrawn" in text
    assert 'name="note"' in text and "required" in text
    assert "Public explanation (shown on the page) (required)" in text
    assert "Yes, withdraw" in text and "No, take me back" in text
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert not AuditLogEntry.objects.filter(release=release, action="withdraw").exists()


@pytest.mark.django_db
def test_confirming_withdraws_with_the_explanation(client, publisher, make_release):
    release = make_release("live")
    client.force_login(publisher)
    response = client.post(
        transition_url(release, "withdraw"),
        {"note": "The figures were wrong.", "_confirm": "1"},
        follow=True,
    )
    assert "Withdraw: done." in response.text
    release.refresh_from_db()
    assert release.status == Status.WITHDRAWN
    assert release.withdrawal_reason == "The figures were wrong."


@pytest.mark.django_db
def test_confirming_without_the_required_note_shows_the_page_again(client, publisher, make_release):
    release = make_release("live")
    client.force_login(publisher)
    response = client.post(transition_url(release, "remove"), {"note": "  ", "_confirm": "1"})
    assert response.status_code == 200
    assert "Say why the release is being removed" in response.text
    assert "410 Gone" in response.text  # still the confirmation page
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED


@pytest.mark.django_db
def test_force_publish_confirmation_names_the_override(client, publisher, make_release):
    # The publisher wrote it: "Publish now" is closed to them, force publish is offered.
    release = make_release("approved", created_by=publisher)
    client.force_login(publisher)
    text = client.get(transition_url(release, "force_publish")).text
    assert "without a second person" in text and "needs a second look" in text
    assert 'name="publish_at"' in text and 'pattern="' in text


@pytest.mark.django_db
def test_a_confirmation_page_for_a_transition_not_open_redirects_with_a_message(
    client, publisher, make_release
):
    release = make_release("draft")
    client.force_login(publisher)
    response = client.get(transition_url(release, "withdraw"), follow=True)
    assert response.redirect_chain[-1][0] == change_url(release)
    assert "Only a published release can be withdrawn" in response.text


@pytest.mark.django_db
def test_someone_without_the_role_gets_no_confirmation_page(client, writer, make_release):
    release = make_release("live")
    client.force_login(writer)
    response = client.get(transition_url(release, "withdraw"), follow=True)
    assert "Only a publisher can withdraw" in response.text
    assert "Yes, withdraw" not in response.text


# ---------------------------------------------------------------------------
# Item 2: save first, then transition
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_submit_from_the_change_form_keeps_the_edit(client, writer, make_release):
    release = make_release("draft", summary="Old summary.")
    client.force_login(writer)
    data = form_data(release, summary="A better summary.", **{"wf-submit-note": "Please look."})
    del data["_save"]
    data["_transition"] = "submit"
    response = client.post(change_url(release), data, follow=True)
    assert "Submit for review: done." in response.text
    assert "Your changes were saved first." in response.text
    release.refresh_from_db()
    assert release.summary == "A better summary."
    assert release.status == Status.IN_REVIEW
    actions = list(
        AuditLogEntry.objects.filter(release=release).order_by("pk").values_list("action", "note")
    )
    assert actions[-2:] == [("edit", "Changed summary."), ("submit", "Please look.")]
    # Two revisions: the edit in plain words, then the transition.
    comments = [v.revision.get_comment() for v in workflow.versions_of(release)][:2]
    assert comments == ["Submitted for review: Please look.", "Changed the summary."]


@pytest.mark.django_db
def test_a_transition_with_nothing_edited_writes_no_empty_edit_entry(client, writer, make_release):
    release = make_release("draft")
    client.force_login(writer)
    data = form_data(release)
    del data["_save"]
    data["_transition"] = "submit"
    response = client.post(change_url(release), data, follow=True)
    assert "Submit for review: done." in response.text
    assert "saved first" not in response.text
    assert not AuditLogEntry.objects.filter(release=release, action="edit").exists()


@pytest.mark.django_db
def test_a_form_that_fails_validation_changes_no_state(client, writer, make_release):
    release = make_release("draft", title="Kept title")
    client.force_login(writer)
    data = form_data(release, title="", summary="Changed too.", **{"wf-submit-note": "Ready."})
    del data["_save"]
    data["_transition"] = "submit"
    response = client.post(change_url(release), data)
    assert response.status_code == 200  # the form again, with its errors
    assert "This field is required." in response.text
    assert "“Submit for review” was not done: nothing was saved" in response.text
    # What was typed is all still there, the note to the editor included.
    assert "Changed too.</textarea>" in response.text
    assert ">Ready.</textarea>" in response.text
    release.refresh_from_db()
    assert release.status == Status.DRAFT
    assert release.title == "Kept title"
    assert not AuditLogEntry.objects.filter(release=release, action="submit").exists()


@pytest.mark.django_db
def test_a_refused_transition_keeps_the_saved_edit_and_says_so(client, editor, make_release):
    release = make_release("in_review", summary="Old.")
    client.force_login(editor)
    data = form_data(release, summary="Tightened by the editor.")
    del data["_save"]
    data["_transition"] = "reject"  # a rejection needs a note; none given
    response = client.post(change_url(release), data, follow=True)
    assert "Reject: Say what the author should change" in response.text
    assert "Your changes were saved." in response.text
    release.refresh_from_db()
    assert release.summary == "Tightened by the editor."
    assert release.status == Status.IN_REVIEW


@pytest.mark.django_db
def test_a_danger_button_in_the_form_saves_then_asks_for_confirmation(
    client, publisher, make_release
):
    release = make_release("live", summary="Old.")
    client.force_login(publisher)
    data = form_data(release, summary="Fixed a typo.", change_kind="minor")
    del data["_save"]
    data["_transition"] = "withdraw"
    response = client.post(change_url(release), data)
    assert response.status_code == 302
    assert response["Location"] == transition_url(release, "withdraw")
    release.refresh_from_db()
    assert release.summary == "Fixed a typo."
    assert release.status == Status.PUBLISHED  # not yet: the page asks first


@pytest.mark.django_db
def test_schedule_from_the_change_form_reads_the_house_time_format(
    client, administrator, make_release
):
    release = make_release("approved")
    client.force_login(administrator)  # may edit an approved release, and schedule it
    data = form_data(release, **{"wf-schedule-publish_at": "2030-01-15 09:30"})
    del data["_save"]
    data["_transition"] = "schedule"
    response = client.post(change_url(release), data, follow=True)
    assert "Schedule: done." in response.text
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert release.publish_at.isoformat() == "2030-01-15T04:30:00+00:00"  # 09:30 PKT


@pytest.mark.django_db
def test_the_embargo_field_is_a_text_field_with_one_format(client, publisher, make_release):
    release = make_release("approved")
    client.force_login(publisher)  # may not edit it: the stand-alone form
    page = client.get(change_url(release)).text
    assert 'type="datetime-local"' not in page
    assert 'type="text" id="wf-schedule-time" name="publish_at"' in page
    assert 'placeholder="2026-12-02 14:00"' in page and "PKT (newsroom time)" in page
    response = client.post(
        transition_url(release, "schedule"), {"publish_at": "2030-01-15 09:30"}, follow=True
    )
    assert "Schedule: done." in response.text


# ---------------------------------------------------------------------------
# Item 10: readable staff views
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_read_only_view_renders_the_body_and_lists_topics_as_tags(
    client, contacts_manager, make_release
):
    body = "<p>First paragraph.</p><p>Second <strong>one</strong>.</p>"
    release = make_release("live", body=body)
    release.tags.add("Health care", "Floods")
    client.force_login(contacts_manager)
    text = client.get(change_url(release)).text
    assert "&lt;p&gt;" not in text
    assert "<p>First paragraph.</p>" in text and "<strong>one</strong>" in text
    assert '<ul class="wf-tags"><li>Floods</li><li>Health care</li></ul>' in text


@pytest.mark.django_db
def test_the_topics_field_reads_and_writes_plain_comma_separated_names(
    client, writer, make_release
):
    release = make_release("draft")
    release.tags.add("Health care")
    client.force_login(writer)
    page = client.get(change_url(release)).text
    assert 'value="Health care"' in page  # not "\"Health care\""
    data = form_data(release, tags="Health care, Floods, floods")
    client.post(change_url(release), data)
    assert sorted(t.name for t in release.tags.all()) == ["Floods", "Health care"]


@pytest.mark.django_db
def test_history_lines_are_plain_words(client, publisher, make_release):
    release = make_release("live", summary="Old.")
    client.force_login(publisher)
    data = form_data(
        release, summary="New.", change_kind="major", change_note="Corrected the figures."
    )
    client.post(change_url(release), data)
    comment = Version.objects.get_for_object(release).first().revision.get_comment()
    assert comment == "Changed the summary; marked as a major change (“Corrected the figures.”)."
    history = client.get(reverse("admin:releases_pressrelease_history", args=[release.pk])).text
    assert "Changed the summary; marked as a major change" in history


@pytest.mark.django_db
def test_the_comparison_shows_the_body_as_text(client, writer, make_release):
    release = make_release("draft", body="<p>Three wells.</p>")
    client.force_login(writer)
    client.post(change_url(release), form_data(release, body="<p>Four wells.</p>"))
    release.refresh_from_db()
    client.post(change_url(release), form_data(release, body="<p>Five wells.</p>"))
    versions = list(workflow.versions_of(release))
    url = reverse("admin:releases_pressrelease_compare", args=[release.pk])
    text = client.get(url, {"a": versions[-1].pk, "b": versions[0].pk}).text
    assert "&lt;p&gt;" not in text
    assert "<del>Four</del><ins>Five</ins>" in text or "<del>Four</del>" in text


def test_every_danger_transition_says_what_will_happen():
    """The confirmation page is only as good as its words: each destructive or
    exceptional transition has a one-line warning for its button and a
    plain-words account of what will happen."""
    dangerous = [t for t in workflow.TRANSITIONS.values() if t.danger]
    assert {t.name for t in dangerous} >= {"withdraw", "remove", "force_publish"}
    for transition in dangerous:
        assert getattr(transition, "warning", ""), transition
        assert len(getattr(transition, "consequence", "")) > 80, transition
        assert transition.needs_note == "required", transition

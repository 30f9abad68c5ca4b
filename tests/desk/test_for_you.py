""" "For you": editors hear when something waits for them, writers when their release
is sent back or published — on the dashboard at once, the same people the e-mail reaches."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.audience import staff_recipients
from desk import notices
from releases import workflow
from releases.models import AuditLogEntry

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def for_you(client, user) -> str:
    client.force_login(user)
    page = client.get(INDEX).content.decode()
    return page.split('id="desk-for-you"')[1].split("</section>")[0]


def test_editor_is_told_of_a_submission(client, writer, editor, make_release):
    release = make_release("draft", title="Budget statement")
    workflow.submit(release, writer, note="Urgent, please.")
    box = for_you(client, editor)
    assert "writer submitted “Budget statement” for review." in box
    assert "Urgent, please." in box and "1 new" in box
    assert reverse("admin:releases_pressrelease_change", args=[release.pk]) in box


def test_writer_is_told_when_sent_back_and_when_published(
    client, writer, editor, editor2, publisher, make_release
):
    sent_back = make_release("draft", title="Needs work")
    workflow.submit(sent_back, writer)
    workflow.reject(sent_back, editor, note="Check the figures.")
    out = make_release("draft", title="Good to go")
    workflow.submit(out, writer)
    workflow.approve(out, editor2)
    workflow.publish(out, publisher)
    box = for_you(client, writer)
    assert "editor sent “Needs work” back to you." in box and "Check the figures." in box
    assert "publisher published “Good to go”." in box
    assert "submitted" not in box  # their own step is not news to them
    assert "2 new" in box


def test_publisher_is_told_of_an_approval(client, writer, editor, publisher, make_release):
    release = make_release("draft", title="Approved one")
    workflow.submit(release, writer)
    workflow.approve(release, editor)
    assert "editor approved “Approved one”" in for_you(client, publisher)


def test_mark_all_read(client, writer, editor, make_release):
    workflow.submit(make_release("draft", title="First"), writer)
    client.force_login(editor)
    response = client.post(reverse("admin:desk_mark_read"))
    assert response.status_code == 302
    box = for_you(client, editor)
    assert "First" in box and "new" not in box.lower().replace("news", "")
    assert "Mark all read" not in box
    workflow.submit(make_release("draft", title="Second"), writer)
    box = for_you(client, editor)
    assert "1 new" in box and box.index("Second") < box.index("First")


def test_old_entries_drop_off(writer, editor, make_release):
    workflow.submit(make_release("draft"), writer)
    later = timezone.now() + datetime.timedelta(days=notices.DAYS + 1)
    assert notices.notices(editor, now=later) == []


def test_the_dashboard_and_the_email_reach_the_same_people(
    writer, editor, editor2, publisher, publisher2, contacts_manager, administrator, make_release
):
    """For every action the e-mail is sent for, the dashboard tells exactly those people."""
    people = [writer, editor, editor2, publisher, publisher2, contacts_manager, administrator]
    release = make_release("draft")
    workflow.submit(release, writer)
    workflow.reject(release, editor, note="Again.")
    workflow.submit(release, writer)
    workflow.approve(release, editor2)
    workflow.schedule(release, publisher, publish_at=timezone.now() + datetime.timedelta(days=1))
    forced = make_release("approved", created_by=publisher2)
    workflow.force_publish(forced, publisher2, reason="Now.")
    published = make_release("approved")
    workflow.publish(published, publisher)
    workflow.withdraw(published, publisher2, explanation="Figures were wrong.")
    mailed = {"submit", "approve", "reject", "publish", "schedule", "force_publish", "withdraw"}
    entries = AuditLogEntry.objects.filter(action__in=mailed)
    assert {e.action for e in entries} == mailed
    for entry in entries:
        emailed = {u.pk for u in staff_recipients(entry)}
        shown = {
            u.pk
            for u in people
            if AuditLogEntry.objects.filter(notices.concerning(u), pk=entry.pk).exists()
        }
        assert shown == emailed, entry.action


def test_for_you_query_count(client, django_assert_max_num_queries, writer, editor, make_release):
    for i in range(8):
        workflow.submit(make_release("draft", title=f"R{i}"), writer)
    client.force_login(editor)
    with django_assert_max_num_queries(16):
        client.get(INDEX)

"""The admin's home page is each person's desk: the sections of their role, and only those."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from desk import dashboard
from importer.models import ImportRecord
from releases import workflow
from releases.models import PressRelease
from tests.journalists.support import make_journalist

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def keys(user) -> list[str]:
    return [panel.section.key for panel in dashboard.panels(user)]


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(INDEX)
    assert response.status_code == 200
    return response.content.decode()


def test_each_role_sees_its_sections(writer, editor, publisher, contacts_manager):
    assert keys(writer) == [
        "sent_back",
        "my_drafts",
        "imports",
        "contact_requests",
        "translations_out_of_date",
        "recent",
    ]
    assert keys(editor) == [
        "sent_back",
        "awaiting_review",
        "second_look",
        "scheduled",
        "my_drafts",
        "imports",
        "contact_requests",
        "translations_out_of_date",
        "recent",
    ]
    assert keys(publisher) == ["second_look", "approved", "scheduled", "contact_requests", "recent"]
    assert keys(contacts_manager) == ["contact_requests", "journalists_waiting", "recent"]


def test_writer_sees_drafts_and_what_was_sent_back(client, writer, editor, make_release):
    mine = make_release("draft", title="A draft of mine")
    returned = make_release("draft", title="Returned to me")
    workflow.submit(returned, writer)
    workflow.reject(returned, editor, note="Add a quote from the minister.")
    page = home(client, writer)
    drafts = page.split('id="desk-my_drafts"')[1].split("</section>")[0]
    sent_back = page.split('id="desk-sent_back"')[1].split("</section>")[0]
    assert "A draft of mine" in drafts and "Returned to me" not in drafts
    assert "Returned to me" in sent_back and "Add a quote from the minister." in sent_back
    assert "Sent back by editor" in sent_back
    assert reverse("admin:releases_pressrelease_change", args=[mine.pk]) in drafts
    assert "Write a release" in page and reverse("admin:importer_importrecord_import") in page
    assert 'id="desk-awaiting_review"' not in page


def test_editor_sees_what_awaits_review(client, writer, editor, make_release):
    waiting = make_release("draft", title="Please review me")
    workflow.submit(waiting, writer)
    own = make_release("draft", title="My own submission", created_by=editor)
    workflow.submit(own, editor)
    section = home(client, editor).split('id="desk-awaiting_review"')[1].split("</section>")[0]
    assert "Please review me" in section and "Submitted by writer" in section
    assert "My own submission" in section
    assert "your submission: another editor must approve it" in section
    assert section.index("Please review me") < section.index("My own submission")


def test_publisher_sees_approved_and_a_timeline_of_embargoes(client, publisher, make_release):
    make_release("approved", title="Ready to go")
    now = timezone.now()
    later = make_release(
        "scheduled", title="Later embargo", publish_at=now + datetime.timedelta(days=3)
    )
    make_release("scheduled", title="Sooner embargo", publish_at=now + datetime.timedelta(hours=30))
    make_release("live", title="Already out")
    page = home(client, publisher)
    approved = page.split('id="desk-approved"')[1].split("</section>")[0]
    timeline = page.split('id="desk-scheduled"')[1].split("</section>")[0]
    assert "Ready to go" in approved
    assert timeline.index("Sooner embargo") < timeline.index("Later embargo")
    assert "Already out" not in timeline
    local = timezone.localtime(later.publish_at, datetime.timezone(datetime.timedelta(hours=5)))
    assert f"{local.day} {local:%b %Y, %H:%M} PKT" in timeline  # house style, newsroom time
    assert "desk-group" in timeline  # grouped by day
    assert "Already out" in page.split('id="desk-recent"')[1].split("</section>")[0]


def test_imports_to_check(client, writer, editor, make_release):
    draft = make_release("draft", title="Imported draft")
    record = ImportRecord.objects.create(
        sha256="a" * 64,
        filename="media-update.txt",
        imported_by=writer,
        result="1 release",
        review_notes="The boilerplate differs from the organisation's.",
    )
    record.releases.add(draft)
    done = ImportRecord.objects.create(
        sha256="b" * 64, filename="all-dealt-with.txt", result="1", review_notes="Check."
    )
    done.releases.add(make_release("approved"))
    for user in (writer, editor):
        section = home(client, user).split('id="desk-imports"')[1].split("</section>")[0]
        assert "media-update.txt" in section and "The boilerplate differs" in section
        assert reverse("admin:releases_pressrelease_change", args=[draft.pk]) in section
        assert "all-dealt-with.txt" not in section


def test_an_empty_section_says_so(client, publisher):
    page = home(client, publisher)
    assert "No embargo is scheduled." in page
    assert "Nothing approved waits for you." in page


def _fill(make_release, writer, editor, publisher, start: int, n: int) -> None:
    now = timezone.now()
    for i in range(start, start + n):
        make_release("draft", title=f"Draft {i}")
        returned = make_release("draft", title=f"Returned {i}")
        workflow.submit(returned, writer)
        workflow.reject(returned, editor, note="No.")
        workflow.submit(make_release("draft", title=f"Review {i}"), writer)
        make_release("approved", title=f"Approved {i}")
        make_release("scheduled", publish_at=now + datetime.timedelta(hours=i + 2))
        make_release("live", title=f"Live {i}")
        make_journalist(f"reporter{i}@paper.example", status="pending")
        forced = make_release("approved", title=f"Forced {i}", created_by=publisher)
        workflow.force_publish(forced, publisher, reason="Urgent.")
        record = ImportRecord.objects.create(
            sha256=f"{i:064d}", filename=f"f{i}.txt", result="1", review_notes="Check it."
        )
        record.releases.add(make_release("draft"))
        source = make_release("live", title=f"Source {i}")
        make_release(
            "draft",
            language="ur",
            translation_key=source.translation_key,
            translated_from=source,
            source_seen_at=now - datetime.timedelta(days=1),
        )
        PressRelease.objects.filter(pk=source.pk).update(last_updated_at=now)


#: Session, user, permissions (2), read mark, "For you", one or two per section, the
#: Administrator check: 15 for an administrator, who sees every section; then
#: journalists waiting for approval (the rows, their beats); then translations
#: out of date (one query, sources joined).
HOME_QUERIES = 19


@pytest.mark.parametrize("role", ["writer", "editor", "publisher", "administrator"])
def test_home_page_query_count_does_not_grow(
    client,
    django_assert_max_num_queries,
    writer,
    editor,
    publisher,
    administrator,
    make_release,
    role,
):
    user = {
        "writer": writer,
        "editor": editor,
        "publisher": publisher,
        "administrator": administrator,
    }[role]
    client.force_login(user)
    _fill(make_release, writer, editor, publisher, 0, 2)
    with django_assert_max_num_queries(HOME_QUERIES):
        assert client.get(INDEX).status_code == 200
    _fill(make_release, writer, editor, publisher, 2, 6)
    with django_assert_max_num_queries(HOME_QUERIES):
        assert client.get(INDEX).status_code == 200


TECHNICAL = [
    "admin:releases_previewlink_changelist",
    "admin:releases_releaseimage_changelist",
    "admin:releases_releaseattachment_changelist",
    "admin:axes_accessattempt_changelist",
    "admin:taggit_tag_changelist",
    "admin:django_tasks_database_dbtaskresult_changelist",
]


def test_technical_tables_only_for_administrators(client, writer, editor, publisher, administrator):
    for user in (writer, editor, publisher):
        page = home(client, user)
        for name in TECHNICAL:
            assert f'href="{reverse(name)}"' not in page, (user, name)
    superuser = User.objects.create_superuser("root", "root@example.org", "x")
    for user in (administrator, superuser):
        page = home(client, user)
        for name in TECHNICAL:
            assert f'href="{reverse(name)}"' in page, (user, name)


def test_technical_pages_still_answer_those_allowed(client, writer):
    """Hidden from the home page, not taken away: a release's form links to its preview links."""
    client.force_login(writer)
    assert client.get(reverse("admin:releases_previewlink_changelist")).status_code == 200


def test_a_new_section_is_one_object(client, contacts_manager):
    section = dashboard.Section(
        key="requests",
        title="Requests for a new contact",
        shown_to=lambda user: user.has_perm("contacts.add_mediacontact"),
        rows=lambda desk: [dashboard.Row(title="Dr. New Person", url="/admin/")],
    )
    dashboard.add_section(section, before="recent")
    try:
        page = home(client, contacts_manager)
        assert "Requests for a new contact" in page and "Dr. New Person" in page
        assert keys(contacts_manager) == [
            "contact_requests",
            "journalists_waiting",
            "requests",
            "recent",
        ]
    finally:
        dashboard.SECTIONS[:] = [s for s in dashboard.SECTIONS if s.key != "requests"]


def test_release_counts_are_right(make_release, writer):
    for _ in range(dashboard.ROWS + 3):
        make_release("draft")
    assert len(dashboard.my_drafts(dashboard.Desk(writer, timezone.now()))) == dashboard.ROWS
    assert PressRelease.objects.filter(status="draft").count() == dashboard.ROWS + 3


def test_contact_requests_wait_on_the_contacts_managers_desk(
    client, publisher, writer, contacts_manager
):
    """A request made from a release form lands on the contacts manager's
    dashboard, linked to the request (whose page creates the contact); the
    requester sees only their own, and nobody sees a handled one."""
    from contacts import requests as contact_requests

    asked = contact_requests.create_request(
        publisher, name="Sindh desk of the Rights Commission", organisation_name="NCHR"
    )
    contact_requests.create_request(writer, name="A writer's own request")
    manager_page = home(client, contacts_manager)
    assert "Sindh desk of the Rights Commission" in manager_page
    assert "A writer&#x27;s own request" in manager_page or "A writer's own request" in manager_page
    assert reverse("admin:contacts_contactrequest_change", args=[asked.pk]) in manager_page
    publisher_page = home(client, publisher)
    assert "Sindh desk of the Rights Commission" in publisher_page
    assert "own request" not in publisher_page
    contact_requests.decline(asked, contacts_manager)
    assert "Sindh desk" not in home(client, contacts_manager)

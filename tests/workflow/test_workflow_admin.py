"""The PressRelease admin: list, buttons, edit conflicts, history, restore, recovery."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from releases import workflow
from releases.models import AuditLogEntry, ChangeNote, PressRelease, ReleaseOrganisation
from tests.factories import OrganisationFactory

Status = PressRelease.Status


def change_url(release: PressRelease) -> str:
    return reverse("admin:releases_pressrelease_change", args=[release.pk])


def form_data(release: PressRelease, **overrides) -> dict:
    """What the change form posts for ``release`` (content, lock token, inlines)."""
    links = list(release.issuers.all())
    data = {
        "title": release.title,
        "slug": release.slug,
        "summary": release.summary,
        "dateline_place": release.dateline_place,
        "dateline_date": release.dateline_date.isoformat() if release.dateline_date else "",
        "body": release.body,
        "tags": "",
        "lock_version_token": str(release.lock_version),
        "issuers-TOTAL_FORMS": str(len(links)),
        "issuers-INITIAL_FORMS": str(len(links)),
        "issuers-MIN_NUM_FORMS": "1",
        "issuers-MAX_NUM_FORMS": "1000",
        "contact_links-TOTAL_FORMS": "0",
        "contact_links-INITIAL_FORMS": "0",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "contact_links-MIN_NUM_FORMS": "0",
        "contact_links-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for i, link in enumerate(links):
        data.update(
            {
                f"issuers-{i}-id": str(link.pk),
                f"issuers-{i}-release": str(release.pk),
                f"issuers-{i}-organisation": str(link.organisation_id),
                f"issuers-{i}-order": str(link.order),
            }
        )
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_changelist_query_count_does_not_grow_with_rows(client, editor, make_release):
    client.force_login(editor)
    url = reverse("admin:releases_pressrelease_changelist")
    make_release("draft")
    make_release("scheduled")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for state in ["live", "approved", "in_review", "withdrawn", "draft", "live"]:
        make_release(state)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert "Scheduled for" in response.text


@pytest.mark.django_db
def test_changelist_filters_and_search(client, editor, make_release):
    client.force_login(editor)
    scheduled = make_release("scheduled", title="Scheduled about wells")
    live = make_release("live", title="Live about schools")
    url = reverse("admin:releases_pressrelease_changelist")
    response = client.get(url, {"state": "scheduled"})
    assert scheduled.title in response.text and live.title not in response.text
    response = client.get(url, {"q": "schools"})
    assert live.title in response.text and scheduled.title not in response.text


@pytest.mark.django_db
def test_add_creates_a_draft_whatever_is_posted(client, writer):
    client.force_login(writer)
    org = OrganisationFactory()
    data = {
        "title": "New release about refugees",
        "slug": "new-release-about-refugees",
        "summary": "Short.",
        "dateline_place": "Islamabad",
        "dateline_date": "2023-10-18",
        "body": "<p>Text</p>",
        "tags": "",
        "status": "published",
        "publish_at_0": "2020-01-01",
        "publish_at_1": "00:00",
        "issuers-TOTAL_FORMS": "1",
        "issuers-INITIAL_FORMS": "0",
        "issuers-MIN_NUM_FORMS": "1",
        "issuers-MAX_NUM_FORMS": "1000",
        "issuers-0-organisation": str(org.pk),
        "issuers-0-order": "0",
        "contact_links-TOTAL_FORMS": "0",
        "contact_links-INITIAL_FORMS": "0",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    response = client.post(reverse("admin:releases_pressrelease_add"), data)
    assert response.status_code == 302, response.text
    release = PressRelease.objects.get(slug="new-release-about-refugees")
    assert release.status == Status.DRAFT and release.publish_at is None
    assert release.created_by == writer
    assert AuditLogEntry.objects.filter(release=release, action="create", user=writer).exists()
    assert Version.objects.get_for_object(release).count() == 1


@pytest.mark.django_db
def test_buttons_call_the_workflow(client, writer, editor, make_release):
    release = make_release("draft")
    client.force_login(writer)
    page = client.get(change_url(release))
    assert "Submit for review" in page.text and "Approve" not in page.text
    response = client.post(
        reverse("admin:releases_pressrelease_transition", args=[release.pk, "submit"]),
        {"note": "Please check the figures"},
        follow=True,
    )
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW
    assert "is now in review" in response.text
    # A writer forging the approve button is refused on the server.
    response = client.post(
        reverse("admin:releases_pressrelease_transition", args=[release.pk, "approve"]),
        follow=True,
    )
    assert "Only an editor can approve" in response.text
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW
    # Nor can the writer edit it while it is in review.
    assert client.post(change_url(release), form_data(release, title="Changed")).status_code == 403
    client.force_login(editor)
    response = client.post(
        reverse("admin:releases_pressrelease_transition", args=[release.pk, "reject"]),
        {"note": ""},
        follow=True,
    )
    assert "needs a note" in response.text
    client.post(
        reverse("admin:releases_pressrelease_transition", args=[release.pk, "reject"]),
        {"note": "Name the districts."},
    )
    release.refresh_from_db()
    assert release.status == Status.DRAFT


@pytest.mark.django_db
def test_schedule_button_reads_newsroom_time_and_refuses_the_past(client, publisher, make_release):
    release = make_release("approved")
    client.force_login(publisher)
    url = reverse("admin:releases_pressrelease_transition", args=[release.pk, "schedule"])
    response = client.post(url, {"publish_at": "2020-01-01T09:00"}, follow=True)
    assert "in the past" in response.text
    release.refresh_from_db()
    assert release.status == Status.APPROVED
    karachi = ZoneInfo("Asia/Karachi")
    target = (
        (timezone.now() + datetime.timedelta(days=3))
        .astimezone(karachi)
        .replace(hour=9, minute=0, second=0, microsecond=0)
    )
    client.post(url, {"publish_at": target.strftime("%Y-%m-%dT%H:%M")})
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED and release.publish_at == target
    page = client.get(change_url(release)).text
    utc = target.astimezone(datetime.UTC)
    assert f"{target.day} {target:%b %Y}, 09:00 PKT" in page
    assert f"{utc:%H:%M} UTC" in page and "Scheduled for" in page
    response = client.post(url, {"publish_at": "not a time"}, follow=True)
    assert "is not a date and time" in response.text


@pytest.mark.django_db
def test_status_is_not_editable_in_the_form(client, editor, make_release):
    release = make_release("draft", created_by=editor)
    client.force_login(editor)
    data = form_data(release, status="published", publish_at_0="2020-01-01", publish_at_1="00:00")
    assert client.post(change_url(release), data).status_code == 302
    release.refresh_from_db()
    assert release.status == Status.DRAFT and release.publish_at is None


@pytest.mark.django_db
def test_second_concurrent_save_is_refused_and_keeps_what_was_typed(
    client, editor, administrator, make_release
):
    release = make_release("draft", created_by=editor)
    first, second = client, client.__class__()
    first.force_login(editor)
    second.force_login(administrator)
    # Both open the form: the form carries the version each started from.
    for c in (first, second):
        page = c.get(change_url(release))
        assert f'name="lock_version_token" value="{release.lock_version}"' in page.text
    response = first.post(change_url(release), form_data(release, title="Alpha version title"))
    assert response.status_code == 302
    response = second.post(change_url(release), form_data(release, title="Bravo version title"))
    assert response.status_code == 200
    assert "saved this release" in response.text and "Nothing was saved" in response.text
    assert "Bravo version title" in response.text  # your version, still in the form
    assert "Alpha version title" in response.text  # their version, beside it
    release.refresh_from_db()
    assert release.title == "Alpha version title"
    # Having seen both, saving again is a deliberate overwrite.
    token = release.lock_version
    assert f'name="lock_version_token" value="{token}"' in response.text
    response = second.post(
        change_url(release),
        form_data(release, title="Bravo version title", lock_version_token=str(token)),
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.title == "Bravo version title"


@pytest.mark.django_db
def test_major_change_to_public_release_needs_note(client, editor, make_release):
    release = make_release("live")
    client.force_login(editor)
    page = client.get(change_url(release)).text
    assert "Is this a major change?" in page
    response = client.post(
        change_url(release), form_data(release, title="Fixed title", change_kind="major")
    )
    assert response.status_code == 200
    assert "needs a public change note" in response.text
    response = client.post(
        change_url(release),
        form_data(
            release,
            title="Fixed title",
            change_kind="major",
            change_note="Corrected the title.",
        ),
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.title == "Fixed title" and release.last_updated_at is not None
    assert ChangeNote.objects.get(release=release).note == "Corrected the title."
    # A minor fix leaves nothing public.
    client.post(change_url(release), form_data(release, summary="Typo fixed", change_kind="minor"))
    release.refresh_from_db()
    assert release.summary == "Typo fixed"
    assert ChangeNote.objects.filter(release=release).count() == 1


@pytest.mark.django_db
def test_history_compare_and_restore_content_only(client, editor, make_release):
    release = make_release("live", title="Original title", body="<p>Three districts.</p>")
    client.force_login(editor)
    # First revision through the admin, then a change.
    client.post(change_url(release), form_data(release, change_kind="minor"))
    release.refresh_from_db()
    new_org = OrganisationFactory(name="Added partner agency")
    data = form_data(release, title="Changed title", body="<p>Four districts.</p>")
    data.update(
        {
            "issuers-TOTAL_FORMS": "2",
            "issuers-1-organisation": str(new_org.pk),
            "issuers-1-order": "1",
            "issuers-1-release": str(release.pk),
            "change_kind": "minor",
        }
    )
    assert client.post(change_url(release), data).status_code == 302
    versions = list(workflow.versions_of(release))
    assert len(versions) == 2
    newer, older = versions
    history = client.get(reverse("admin:releases_pressrelease_history", args=[release.pk]))
    assert history.status_code == 200 and "Compare selected revisions" in history.text
    compare = client.get(
        reverse("admin:releases_pressrelease_compare", args=[release.pk]),
        {"a": newer.pk, "b": older.pk},  # order does not matter
    )
    assert compare.status_code == 200
    text = compare.text
    assert "<del>Three</del>" in text and "<ins>Four</ins>" in text
    assert 'class="changed"' in text and "Added partner agency" in text
    # Restore the older content: title, body and issuers come back; status stays.
    response = client.post(
        reverse("admin:releases_pressrelease_restore", args=[release.pk, older.pk])
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.title == "Original title" and release.body == "<p>Three districts.</p>"
    assert release.status == Status.PUBLISHED and release.is_public
    assert list(release.issuers.values_list("organisation__name", flat=True)) != [
        "Added partner agency"
    ]
    assert not release.issuers.filter(organisation=new_org).exists()
    assert AuditLogEntry.objects.filter(release=release, action="restore", user=editor).exists()
    # Reversion's own revert form (which would also revert the status) is not reachable.
    response = client.get(
        reverse("admin:releases_pressrelease_revision", args=[release.pk, older.pk])
    )
    assert response.status_code == 302 and "compare" in response["Location"]


@pytest.mark.django_db
def test_restore_refused_for_someone_who_may_not_edit(client, writer, make_release):
    release = make_release("live")
    workflow.record_edit(release, writer)  # no revision yet: make one via workflow
    import reversion

    with reversion.create_revision():
        release.save()
    version = workflow.versions_of(release).first()
    client.force_login(writer)
    response = client.post(
        reverse("admin:releases_pressrelease_restore", args=[release.pk, version.pk]), follow=True
    )
    assert "may not edit" in response.text
    assert not AuditLogEntry.objects.filter(release=release, action="restore").exists()


@pytest.mark.django_db
def test_deleted_release_can_be_recovered_as_a_draft(client, administrator, make_release):
    release = make_release("live", title="Deleted by mistake")
    link = release.issuers.get()
    client.force_login(administrator)
    client.post(change_url(release), form_data(release, change_kind="minor"))
    release.refresh_from_db()
    response = client.post(
        reverse("admin:releases_pressrelease_delete", args=[release.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not PressRelease.objects.filter(pk=release.pk).exists()
    recover_list = client.get(reverse("admin:releases_pressrelease_recoverlist"))
    assert "Deleted by mistake" in recover_list.text
    version = Version.objects.get_deleted(PressRelease).get(object_id=str(release.pk))
    url = reverse("admin:releases_pressrelease_recover", args=[version.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(release))
    assert response.status_code == 302, response.text
    recovered = PressRelease.objects.get(pk=release.pk)
    assert recovered.title == "Deleted by mistake"
    assert recovered.status == Status.DRAFT and recovered.publish_at is None
    assert ReleaseOrganisation.objects.filter(pk=link.pk, release=recovered).exists()
    assert AuditLogEntry.objects.filter(release=recovered, action="recover").exists()


@pytest.mark.django_db
def test_audit_log_admin_is_read_only_and_lists_flagged(
    client, administrator, publisher, make_release
):
    release = make_release("approved", created_by=publisher)
    workflow.force_publish(release, publisher, reason="No second publisher on duty.")
    other = make_release("draft", title="Unflagged one")
    workflow.submit(other, other.created_by)
    client.force_login(administrator)
    url = reverse("admin:releases_auditlogentry_changelist")
    response = client.get(url, {"needs_second_look__exact": "1"})
    assert "No second publisher on duty." in response.text
    assert "Unflagged one" not in response.text
    assert client.get(reverse("admin:releases_auditlogentry_add")).status_code == 403
    entry = AuditLogEntry.objects.get(action="force_publish")
    response = client.post(
        reverse("admin:releases_auditlogentry_change", args=[entry.pk]), {"note": "x"}
    )
    entry.refresh_from_db()
    assert entry.note == "No second publisher on duty."
    # The release page shows it too.
    assert "needs a second look" in client.get(change_url(release)).text


@pytest.mark.django_db
def test_publisher_sees_approved_release_read_only_with_publish_buttons(
    client, publisher, make_release
):
    release = make_release("approved")
    client.force_login(publisher)
    page = client.get(change_url(release))
    assert page.status_code == 200
    assert "Publish now" in page.text and "Schedule" in page.text
    assert 'name="_save"' not in page.text  # content is not theirs to edit at this stage
    assert "Force publish" not in page.text  # the ordinary route is open to them

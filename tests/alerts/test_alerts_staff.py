"""Staff notifications through the same pipeline, and the admin's preview and report."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from alerts import delivery
from alerts.models import AlertRun, StaffNotice
from releases import workflow
from releases.models import PressRelease
from tests.alerts.support import follow, text_part
from tests.factories import PressReleaseFactory
from tests.workflow.conftest import make_user

pytestmark = pytest.mark.django_db


def test_editors_hear_of_a_submission_and_the_writer_of_a_rejection(smtp):
    writer = make_user("Writer", "writer")
    editor = make_user("Editor", "editor")
    release = PressReleaseFactory(status=PressRelease.Status.DRAFT, created_by=writer)
    workflow.submit(release, writer)
    entry = release.audit_entries.get(action="submit")
    assert delivery.send_staff_notices(entry.pk) == 1
    assert delivery.send_staff_notices(entry.pk) == 0  # once per person
    assert [m["To"] for m in smtp.messages] == [editor.email]
    assert "Submitted for review" in smtp.messages[0]["Subject"]
    smtp.clear()
    workflow.reject(release, editor, note="Add the figures")
    entry = release.audit_entries.get(action="reject")
    delivery.send_staff_notices(entry.pk)
    (message,) = smtp.messages
    assert message["To"] == writer.email and "Add the figures" in text_part(message)
    assert StaffNotice.objects.filter(status="sent").count() == 2


def test_the_admin_previews_the_alert_and_reports_the_deliveries(client, smtp):
    boss = User.objects.create_superuser("boss", "boss@example.org", "x")
    client.force_login(boss)
    follow("a@example.org")
    release = PressReleaseFactory(status=PressRelease.Status.APPROVED, publish_at=None)
    preview = client.get(f"/admin/alerts/alertrun/preview/{release.pk}/")
    assert preview.status_code == 200 and "List-Unsubscribe-Post" in preview.content.decode()
    workflow.publish(release, boss)
    delivery.send_release(release.pk)
    assert AlertRun.objects.filter(release=release).exists()
    report = client.get(f"/admin/alerts/alertrun/report/{release.pk}/").content.decode()
    assert '<th scope="row">Sent</th><td>1</td>' in report

"""Advance access in the release admin: who may grant it, the audit, the panel, the log."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from core.dates import house_datetime
from pressroom import access_log
from pressroom.models import AdvanceAccess
from releases.models import AuditLogEntry
from releases.roles import ADMINISTRATOR, EDITOR, PUBLISHER, WRITER
from tests.pressroom.support import embargoed_release, make_journalist, open_access, staff

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(release, opens_at: datetime.datetime, **extra) -> dict:
    local = timezone.localtime(opens_at)
    return {
        "release": release.pk,
        "enabled": "on",
        "opens_at_0": local.strftime("%Y-%m-%d"),
        "opens_at_1": local.strftime("%H:%M:%S"),
        "outlets": "",
        **extra,
    }


@pytest.mark.parametrize("role", [PUBLISHER, ADMINISTRATOR])
def test_whoever_schedules_grants_it_and_it_is_audited(role):
    release = embargoed_release(hours=30)
    user = staff(role, "granter")
    opens = (release.publish_at - datetime.timedelta(hours=24)).replace(second=0)
    response = as_user(user).post(
        f"/admin/pressroom/advanceaccess/add/?release={release.pk}", form_data(release, opens)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    access = AdvanceAccess.objects.get(release=release)
    assert access.enabled and access.opens_at == opens
    assert access.for_publish_at == release.publish_at
    entry = AuditLogEntry.objects.filter(release=release).latest("pk")
    assert entry.user == user
    expected = f"Advance access for approved journalists from {house_datetime(opens)}"
    assert expected in entry.note
    # The release's form shows it.
    page = as_user(user).get(f"/admin/releases/pressrelease/{release.pk}/change/")
    assert expected in page.content.decode()
    assert "Change advance access" in page.content.decode()


@pytest.mark.parametrize("role", [WRITER, EDITOR])
def test_without_the_permission_it_is_read_only_and_a_forged_post_is_refused(role):
    release = embargoed_release(hours=30)
    user = staff(role, "nogrant")
    opens = release.publish_at - datetime.timedelta(hours=24)
    client = as_user(user)
    forged = client.post(
        f"/admin/pressroom/advanceaccess/add/?release={release.pk}", form_data(release, opens)
    )
    assert forged.status_code == 403
    assert not AdvanceAccess.objects.exists()
    access = open_access(release)
    forged = client.post(
        f"/admin/pressroom/advanceaccess/{access.pk}/change/",
        form_data(release, opens, outlets="Sneaky Outlet"),
    )
    assert forged.status_code == 403
    access.refresh_from_db()
    assert access.outlets == ""
    page = client.get(f"/admin/releases/pressrelease/{release.pk}/change/")
    assert page.status_code == 200
    assert "Advance access for approved journalists from" in page.content.decode()
    assert "Change advance access" not in page.content.decode()


def test_opening_time_must_be_before_the_instant_and_needs_a_schedule():
    release = embargoed_release(hours=30)
    user = staff(PUBLISHER, "granter")
    late = release.publish_at + datetime.timedelta(hours=1)
    response = as_user(user).post(
        f"/admin/pressroom/advanceaccess/add/?release={release.pk}", form_data(release, late)
    )
    assert response.status_code == 200
    assert "Must be before the embargo instant" in response.content.decode()
    draft = embargoed_release(status="draft", publish_at=None)
    response = as_user(user).post(
        "/admin/pressroom/advanceaccess/add/", form_data(draft, timezone.now())
    )
    assert "Schedule the release first" in response.content.decode()
    assert not AdvanceAccess.objects.exists()


def test_the_release_form_shows_the_access_log_to_staff():
    release = embargoed_release(hours=30)
    open_access(release)
    journalist = make_journalist("ayesha", outlet="Dawn Example")
    access_log.record(journalist, release, access_log.Item.PAGE)
    page = as_user(staff(PUBLISHER, "granter")).get(
        f"/admin/releases/pressrelease/{release.pk}/change/"
    )
    html = page.content.decode()
    assert "ayesha@example.net" in html and "Release page" in html
    log = as_user(staff(PUBLISHER, "granter2")).get(
        f"/admin/pressroom/accesslogentry/?release__id__exact={release.pk}"
    )
    assert log.status_code == 200 and "ayesha@example.net" in log.content.decode()


def test_log_keeps_the_snapshot_after_the_account_goes_and_is_purged_in_time(settings):
    release = embargoed_release(hours=30)
    journalist = make_journalist("ayesha")
    entry = access_log.record(journalist, release, access_log.Item.PAGE)
    journalist.user.delete()
    entry.refresh_from_db()
    assert entry.journalist is None
    assert (entry.journalist_name, entry.journalist_email) == ("Ayesha", "ayesha@example.net")
    settings.PRESSROOM_ACCESS_LOG_DAYS = 400
    assert access_log.purge(timezone.now() + datetime.timedelta(days=399)) == 0
    assert access_log.purge(timezone.now() + datetime.timedelta(days=401)) == 1


def test_posting_the_release_form_cannot_grant_advance_access():
    """The panel on the release's form edits nothing: forged formset rows are ignored."""
    from tests.security.test_release_files_and_revisions import release_form_data

    release = embargoed_release(status="draft", publish_at=None)
    administrator = staff(ADMINISTRATOR, "administrator")  # may grant, but not this way
    data = release_form_data(
        release,
        **{
            "advance_access-TOTAL_FORMS": "1",
            "advance_access-INITIAL_FORMS": "0",
            "advance_access-MIN_NUM_FORMS": "0",
            "advance_access-MAX_NUM_FORMS": "1",
            "advance_access-0-enabled": "on",
            "advance_access-0-opens_at_0": "2030-01-01",
            "advance_access-0-opens_at_1": "10:00:00",
            "advance_access-0-outlets": "Sneaky Outlet",
        },
    )
    response = as_user(administrator).post(
        f"/admin/releases/pressrelease/{release.pk}/change/", data
    )
    assert response.status_code == 302
    assert not AdvanceAccess.objects.exists()

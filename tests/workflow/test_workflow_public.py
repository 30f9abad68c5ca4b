"""What the public sees as a release moves through the workflow."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from releases import workflow
from releases.models import PressRelease


@pytest.mark.django_db
def test_embargo_hides_until_the_instant_then_shows(client, publisher, make_release):
    release = make_release("approved", title="Embargoed agreement signed")
    # Schedule a moment ahead; the test then moves the embargo to "just passed"
    # the way time would, without mocking the clock or the database.
    workflow.schedule(release, publisher, publish_at=timezone.now() + datetime.timedelta(hours=3))
    detail = reverse("releases:detail", kwargs={"slug": release.slug})
    assert client.get(detail).status_code == 404
    assert "Embargoed agreement signed" not in client.get(reverse("search:release_list")).text
    assert not PressRelease.objects.published().filter(pk=release.pk).exists()
    # The same query asked about an instant after the embargo sees it.
    later = release.publish_at + datetime.timedelta(seconds=1)
    assert PressRelease.objects.published(now=later).filter(pk=release.pk).exists()
    assert (
        not PressRelease.objects.published(now=release.publish_at - datetime.timedelta(seconds=1))
        .filter(pk=release.pk)
        .exists()
    )
    # The instant arrives.
    PressRelease.objects.filter(pk=release.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(detail).status_code == 200
    assert "Embargoed agreement signed" in client.get(reverse("search:release_list")).text


@pytest.mark.django_db
def test_withdrawn_release_keeps_its_page_with_notice_and_leaves_lists(
    client, publisher, make_release
):
    release = make_release("live", title="Figures for the flood response")
    listing = reverse("search:release_list")
    assert "Figures for the flood response" in client.get(listing).text
    workflow.withdraw(release, publisher, explanation="The figures were superseded on review.")
    response = client.get(reverse("releases:detail", kwargs={"slug": release.slug}))
    assert response.status_code == 200
    assert "This release was withdrawn on" in response.text
    assert "The figures were superseded on review." in response.text
    assert f"{timezone.localtime(release.withdrawn_at):%Y-%m-%d}" in response.text
    assert "Figures for the flood response" not in client.get(listing).text


@pytest.mark.django_db
def test_removed_release_answers_410(client, publisher, make_release):
    release = make_release("live")
    detail = reverse("releases:detail", kwargs={"slug": release.slug})
    assert client.get(detail).status_code == 200
    workflow.remove(release, publisher, reason="Published the wrong draft.")
    response = client.get(detail)
    assert response.status_code == 410
    assert "removed" in response.text
    assert "Published the wrong draft." not in response.text  # the reason is internal
    assert (
        client.get(reverse("releases:detail", kwargs={"slug": "never-existed"})).status_code == 404
    )


@pytest.mark.django_db
def test_change_note_shown_on_the_page(client, editor, make_release):
    release = make_release("live")
    workflow.record_edit(
        release, editor, major=True, change_note="Corrected the number of districts."
    )
    response = client.get(reverse("releases:detail", kwargs={"slug": release.slug}))
    assert "Corrected the number of districts." in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["draft", "in_review", "approved", "scheduled"])
def test_unpublished_states_are_not_public(client, state, make_release):
    release = make_release(state)
    assert client.get(reverse("releases:detail", kwargs={"slug": release.slug})).status_code == 404


@pytest.mark.django_db
def test_withdrawn_row_whose_embargo_never_lifted_stays_hidden(client):
    """Even if a withdrawn row was never public (a bulk edit, a restored backup),
    its page must not appear before its embargo instant."""
    from tests.factories import PressReleaseFactory

    release = PressReleaseFactory(
        status=PressRelease.Status.WITHDRAWN,
        withdrawal_reason="Never went out.",
        publish_at=timezone.now() + datetime.timedelta(hours=2),
    )
    assert client.get(release.get_absolute_url()).status_code == 404

"""Translate in the admin: a draft in another language, carried-over structure,
pictures that keep their own doors, permissions, audit; the out-of-date flag
on the form and on the desk."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from releases.models import AuditLogEntry, PressRelease, ReleaseContact, ReleaseImage
from releases.workflow import translations
from tests.factories import (
    MediaContactFactory,
    OrganisationFactory,
    PartnershipFactory,
    ReleaseImageFactory,
)
from tests.workflow.test_workflow_admin import form_data

Status = PressRelease.Status


def change_url(release: PressRelease) -> str:
    return reverse("admin:releases_pressrelease_change", args=[release.pk])


def translate_url(release: PressRelease, language: str = "ur") -> str:
    return reverse("admin:releases_pressrelease_translate", args=[release.pk, language])


def desk_section(page: str, key: str = "translations_out_of_date") -> str:
    """The desk's section ``key`` alone (other sections list the same drafts)."""
    start = page.index(f'id="desk-{key}"')
    return page[start : page.index("</section>", start)]


@pytest.fixture
def source(make_release):
    """A public English release with two issuers, contacts in roles, topics, a
    partnership and a picture."""
    first, second = OrganisationFactory(name="Relief Office"), OrganisationFactory(name="Aid Desk")
    release = make_release(
        "live",
        title="Clinics reopen after the floods",
        organisations=[first, second],
        tags=["Floods", "Health"],
    )
    ReleaseContact.objects.create(
        release=release, contact=MediaContactFactory(), role=ReleaseContact.Role.SPOKESPERSON
    )
    ReleaseContact.objects.create(
        release=release,
        contact=MediaContactFactory(),
        role=ReleaseContact.Role.MORE_INFO,
        order=1,
    )
    release.partnerships.add(PartnershipFactory())
    ReleaseImageFactory(release=release, alt_text="Nurses at a clinic", caption="A clinic in Sindh")
    return release


@pytest.mark.django_db
def test_translate_makes_a_draft_with_the_structure_and_marked_text(client, editor, source):
    client.force_login(editor)
    page = client.get(change_url(source))
    assert translate_url(source).encode() in page.content
    assert "Translate into اردو" in page.content.decode()

    response = client.post(translate_url(source))

    made = PressRelease.objects.get(translation_key=source.translation_key, language="ur")
    assert response.status_code == 302 and response["Location"] == change_url(made)
    assert made.status == Status.DRAFT and made.publish_at is None
    assert made.translated_from == source and made.source_seen_at is not None
    assert made.title == translations.MARKER + source.title
    assert made.summary.startswith(translations.MARKER)
    assert translations.MARKER.strip() in made.body and "The body of the release." in made.body
    assert made.slug != source.slug
    assert [link.organisation.name for link in made.issuers.order_by("order")] == [
        "Relief Office",
        "Aid Desk",
    ]
    assert list(made.contact_links.order_by("order").values_list("contact_id", "role")) == list(
        source.contact_links.order_by("order").values_list("contact_id", "role")
    )
    assert sorted(made.tags.names()) == ["Floods", "Health"]
    assert list(made.partnerships.all()) == list(source.partnerships.all())
    picture, original = made.images.get(), source.images.get()
    assert picture.pk != original.pk and picture.image.name == original.image.name
    assert picture.alt_text == translations.MARKER + "Nurses at a clinic"
    assert picture.caption == translations.MARKER + "A clinic in Sindh"
    assert picture.credit == original.credit
    assert made.attachments.count() == 0

    entry = AuditLogEntry.objects.get(release=made, action=AuditLogEntry.Action.TRANSLATE)
    assert entry.user == editor and source.title in entry.note
    assert Version.objects.get_for_object(made).count() == 1

    # The translation's form lists the source with its state, linked; the
    # source lists the translation; neither offers to translate again.
    page = client.get(change_url(made)).content.decode()
    assert change_url(source) in page and source.title in page
    assert "Translate into" not in page
    page = client.get(change_url(source)).content.decode()
    assert change_url(made) in page and "Draft" in page


@pytest.mark.django_db
def test_translate_twice_is_refused_with_a_message(client, editor, source):
    client.force_login(editor)
    client.post(translate_url(source))
    response = client.post(translate_url(source), follow=True)
    assert "already has a version in اردو" in response.content.decode()
    assert PressRelease.objects.filter(translation_key=source.translation_key).count() == 2


@pytest.mark.django_db
def test_unknown_language_and_get_are_refused(client, editor, source):
    client.force_login(editor)
    response = client.post(translate_url(source, "xx"), follow=True)
    assert "does not publish in that language" in response.content.decode()
    assert client.get(translate_url(source)).status_code == 405
    assert PressRelease.objects.count() == 1


@pytest.mark.django_db
def test_who_may_translate_is_who_may_create_and_edit(
    client, writer, publisher, contacts_manager, source
):
    from releases.workflow.permissions import can_translate

    assert can_translate(writer, source)
    assert not can_translate(publisher, source)  # publishes, does not write
    assert not can_translate(contacts_manager, source)
    for user in (publisher, contacts_manager):
        client.force_login(user)
        page = client.get(change_url(source))
        assert translate_url(source).encode() not in page.content
        client.post(translate_url(source))
    assert PressRelease.objects.filter(language="ur").count() == 0
    client.force_login(writer)
    client.post(translate_url(source))
    assert PressRelease.objects.filter(language="ur").count() == 1


@pytest.mark.django_db
def test_pictures_share_the_file_but_not_the_door(client, editor, source):
    """A picture of a draft translation is not served through the source's
    public URL, nor its own; once the translation is public its own door opens;
    deleting the translation leaves the source's picture served."""
    client.force_login(editor)
    client.post(translate_url(source))
    client.logout()
    made = PressRelease.objects.get(language="ur")
    own, theirs = source.images.get(), made.images.get()

    def image_url(slug: str, pk: int) -> str:
        return reverse("releases:image", kwargs={"slug": slug, "pk": pk, "rendition": "original"})

    assert client.get(image_url(source.slug, own.pk)).status_code == 200
    assert client.get(image_url(source.slug, theirs.pk)).status_code == 404
    assert client.get(image_url(made.slug, theirs.pk)).status_code == 404
    assert client.get(image_url(made.slug, own.pk)).status_code == 404

    made.status, made.publish_at = Status.PUBLISHED, timezone.now() - datetime.timedelta(minutes=1)
    made.save()
    assert client.get(image_url(made.slug, theirs.pk)).status_code == 200
    assert client.get(image_url(made.slug, own.pk)).status_code == 404

    name = theirs.image.name
    made.delete()
    assert not ReleaseImage.objects.filter(pk=theirs.pk).exists()
    assert default_storage.exists(name)
    assert client.get(image_url(source.slug, own.pk)).status_code == 200


@pytest.mark.django_db
def test_a_major_change_of_the_source_flags_the_translation(client, editor, source):
    client.force_login(editor)
    client.post(translate_url(source))
    made = PressRelease.objects.get(language="ur")
    assert translations.staleness(made) is None

    # A minor fix of the source: the translation stays up to date.
    source.refresh_from_db()
    client.post(change_url(source), form_data(source, summary="Fixed a typo.", change_kind="minor"))
    assert translations.staleness(made) is None
    assert not PressRelease.objects.out_of_date_translations().exists()

    # A major change with a public note: out of date, on the form and the desk.
    source.refresh_from_db()
    response = client.post(
        change_url(source),
        form_data(
            source,
            body="<p>Twelve clinics, not ten.</p>",
            change_kind="major",
            change_note="Corrected the number of clinics.",
        ),
    )
    assert response.status_code == 302
    made.refresh_from_db()
    stale = translations.staleness(made)
    assert stale is not None and [n.note for n in stale.notes] == [
        "Corrected the number of clinics."
    ]
    assert list(PressRelease.objects.out_of_date_translations()) == [made]
    page = client.get(change_url(made)).content.decode()
    assert "Out of date:" in page and "Corrected the number of clinics." in page
    assert reverse("admin:releases_pressrelease_history", args=[source.pk]) in page
    assert 'name="translation_up_to_date"' in page
    desk = desk_section(client.get(reverse("admin:index")).content.decode())
    assert "Translations out of date" in desk and change_url(made) in desk

    # Saving without the tick keeps the flag; with it, the flag goes (audited).
    client.post(change_url(made), form_data(made, summary="ترجمہ جاری ہے۔"))
    made.refresh_from_db()
    assert translations.staleness(made) is not None
    client.post(change_url(made), form_data(made, translation_up_to_date="on"))
    made.refresh_from_db()
    assert translations.staleness(made) is None
    assert AuditLogEntry.objects.filter(
        release=made, note="Marked as up to date with its source."
    ).exists()
    client.get(reverse("admin:index"))  # the save's messages are shown once
    desk = desk_section(client.get(reverse("admin:index")).content.decode())
    assert change_url(made) not in desk
    assert "Every translation is up to date with its source." in desk

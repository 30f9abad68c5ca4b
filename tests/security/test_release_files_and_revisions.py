"""Pictures and documents of a release, recovery of deleted releases, and restores.

Found by a hostile test of the production server:

1. any writer, editor or publisher could add, change or delete the files of
   any release (published, scheduled, someone else's draft, removed) through
   the stand-alone picture and document pages, unaudited;
2. a deleted release with pictures could not be recovered (its files were
   deleted with it: "Recover deleted" answered 500);
3. "restore this revision" left tags, pictures and documents as they were.

Every test here posts what a browser would post, as the role in question.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from releases import workflow
from releases.admin.media import ReleaseAttachmentInline, ReleaseImageInline
from releases.models import (
    AuditLogEntry,
    ChangeNote,
    PressRelease,
    ReleaseAttachment,
    ReleaseContact,
    ReleaseImage,
    ReleaseOrganisation,
)
from tests.factories import (
    MediaContactFactory,
    OrganisationFactory,
    PartnershipFactory,
    ReleaseImageFactory,
    UserFactory,
)
from tests.files.support import image_bytes, pdf_bytes, upload

Status = PressRelease.Status
pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def admin_url(model: type, view: str, *args: object) -> str:
    return reverse(f"admin:releases_{model._meta.model_name}_{view}", args=args)


def change_url(release: PressRelease) -> str:
    return admin_url(PressRelease, "change", release.pk)


def add_picture(release: PressRelease, caption: str = "Families at the clinic") -> ReleaseImage:
    return ReleaseImageFactory(
        release=release, caption=caption, image=upload(image_bytes(120, 80), "p.jpg")
    )


def add_document(release: PressRelease, title: str = "Signed memorandum") -> ReleaseAttachment:
    return ReleaseAttachment.objects.create(
        release=release, title=title, file=upload(pdf_bytes(), "mou.pdf", "application/pdf")
    )


def picture_data(image: ReleaseImage, **overrides: str) -> dict[str, str]:
    """What the stand-alone picture form posts for ``image``."""
    data = {
        "release": str(image.release_id),
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "usage_terms": image.usage_terms,
        "order": str(image.order),
        "_save": "Save",
    }
    data.update(overrides)
    return data


def release_form_data(release: PressRelease, **overrides: str) -> dict[str, str]:
    """What the release change form posts, with every inline row as it is."""
    release.refresh_from_db()
    data = {
        "title": release.title,
        "slug": release.slug,
        "summary": release.summary,
        "dateline_place": release.dateline_place,
        "dateline_date": release.dateline_date.isoformat() if release.dateline_date else "",
        "body": release.body,
        "tags": ", ".join(release.tags.names()),
        "partnerships": [str(pk) for pk in release.partnerships.values_list("pk", flat=True)],
        "lock_version_token": str(release.lock_version),
        "_save": "Save",
    }
    rows = {
        "issuers": (list(release.issuers.all()), ["organisation", "order"]),
        "contact_links": (list(release.contact_links.all()), ["contact", "role", "order"]),
        "images": (
            list(release.images.all()),
            ["alt_text", "caption", "credit", "usage_terms", "order"],
        ),
        "attachments": (list(release.attachments.all()), ["title", "order"]),
    }
    for prefix, (objects, fields) in rows.items():
        data[f"{prefix}-TOTAL_FORMS"] = str(len(objects))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(objects))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for i, obj in enumerate(objects):
            data[f"{prefix}-{i}-id"] = str(obj.pk)
            data[f"{prefix}-{i}-release"] = str(release.pk)
            for name in fields:
                attname = f"{name}_id" if name in ("organisation", "contact") else name
                data[f"{prefix}-{i}-{name}"] = str(getattr(obj, attname))
            if prefix == "images" and obj.is_lead:
                data[f"{prefix}-{i}-is_lead"] = "on"
    data.update(overrides)
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def releases_in_every_state(make_release, writer):
    """A release of ``writer``'s in each state an attacker would aim at."""
    removed = make_release("live")
    removed.status = Status.REMOVED
    removed.save()
    return {
        "live": make_release("live"),
        "scheduled": make_release("scheduled"),
        "approved": make_release("approved"),
        "someone else's draft": make_release("draft"),
        "removed": removed,
    }


# ---------------------------------------------------------------------------
# 1. The stand-alone picture and document pages
# ---------------------------------------------------------------------------


def test_second_writer_cannot_change_the_caption_of_a_published_picture(
    client, writer, other_writer, make_release
):
    """The exact attack: another writer posts a new caption for a live release's picture."""
    release = make_release("live")
    image = add_picture(release, caption="Families receive water filters.")
    client.force_login(other_writer)
    response = client.post(
        admin_url(ReleaseImage, "change", image.pk),
        picture_data(image, caption="Vandalised caption"),
    )
    assert response.status_code == 403
    image.refresh_from_db()
    assert image.caption == "Families receive water filters."
    page = client.get(release.get_absolute_url())
    assert "Vandalised caption" not in page.text
    assert "Families receive water filters." in page.text


@pytest.mark.parametrize("role", ["writer", "other_writer", "editor", "publisher", "administrator"])
def test_no_role_changes_files_through_the_stand_alone_pages(client, request, role, make_release):
    """Add, change and delete are refused on the stand-alone pages for every role that is
    not a superuser, whatever the release's state; nothing changes, nothing is logged."""
    user = request.getfixturevalue(role)
    client.force_login(user)
    targets = releases_in_every_state(make_release, request.getfixturevalue("writer"))
    for state, release in targets.items():
        image = add_picture(release, caption=f"Original caption ({state})")
        document = add_document(release, title=f"Original title ({state})")
        changed = client.post(
            admin_url(ReleaseImage, "change", image.pk), picture_data(image, caption="Forged")
        )
        assert changed.status_code == 403, (role, state)
        renamed = client.post(
            admin_url(ReleaseAttachment, "change", document.pk),
            {"release": str(release.pk), "title": "Forged", "order": "0", "_save": "Save"},
        )
        assert renamed.status_code == 403, (role, state)
        for model, obj in ((ReleaseImage, image), (ReleaseAttachment, document)):
            deleted = client.post(admin_url(model, "delete", obj.pk), {"post": "yes"})
            assert deleted.status_code == 403, (role, state, model)
        added = client.post(
            admin_url(ReleaseImage, "add"),
            {
                **picture_data(image, caption="Planted picture"),
                "image": upload(image_bytes(90, 60), "planted.jpg"),
            },
        )
        assert added.status_code == 403, (role, state)
        added_document = client.post(
            admin_url(ReleaseAttachment, "add"),
            {
                "release": str(release.pk),
                "title": "Planted document",
                "order": "0",
                "file": upload(pdf_bytes(), "planted.pdf", "application/pdf"),
            },
        )
        assert added_document.status_code == 403, (role, state)
        image.refresh_from_db()
        document.refresh_from_db()
        assert image.caption == f"Original caption ({state})"
        assert document.title == f"Original title ({state})"
        assert release.images.count() == 1 and release.attachments.count() == 1
    assert not ReleaseImage.objects.filter(caption="Planted picture").exists()
    assert not AuditLogEntry.objects.filter(user=user).exists()


def test_stand_alone_lists_are_read_only_with_a_link_to_the_release(
    client, writer, editor, make_release
):
    release = make_release("draft")
    image = add_picture(release)
    document = add_document(release)
    client.force_login(editor)
    for model, obj in ((ReleaseImage, image), (ReleaseAttachment, document)):
        listing = client.get(admin_url(model, "changelist"))
        assert listing.status_code == 200
        assert change_url(release) in listing.text  # where changes are made
        assert admin_url(model, "add") not in listing.text
        page = client.get(admin_url(model, "change", obj.pk))
        assert page.status_code == 200
        assert 'name="_save"' not in page.text
        assert change_url(release) in page.text


def test_staff_download_a_document_of_an_unpublished_release(client, writer, make_release):
    release = make_release("draft")
    document = add_document(release)
    url = admin_url(ReleaseAttachment, "download", document.pk)
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(writer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]


def test_superuser_add_form_refuses_a_release_that_cannot_be_edited(client, make_release):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    frozen = make_release("withdrawn")
    public = make_release("live")
    for release in (frozen, public):
        response = client.post(
            admin_url(ReleaseImage, "add"),
            {
                "release": str(release.pk),
                "image": upload(image_bytes(90, 60), "x.jpg"),
                "alt_text": "Alt",
                "caption": "Slipped in",
                "credit": "Credit",
                "usage_terms": "Free",
                "order": "0",
            },
        )
        assert response.status_code == 200, release.status  # the form, with an error
        assert "release" in response.context["adminform"].form.errors
    assert not ReleaseImage.objects.filter(caption="Slipped in").exists()
    # A draft is fine, and the release's audit log names the picture.
    draft = make_release("draft")
    response = client.post(
        admin_url(ReleaseImage, "add"),
        {
            "release": str(draft.pk),
            "image": upload(image_bytes(90, 60), "x.jpg"),
            "alt_text": "Alt",
            "caption": "Added by the superuser",
            "credit": "Credit",
            "usage_terms": "Free",
            "order": "0",
        },
    )
    assert response.status_code == 302
    entry = AuditLogEntry.objects.get(release=draft, action=AuditLogEntry.Action.EDIT)
    assert "Added by the superuser" in entry.note and entry.user == superuser
    # A public release's picture is not editable here even for a superuser.
    image = add_picture(public)
    response = client.post(
        admin_url(ReleaseImage, "change", image.pk), picture_data(image, caption="Quiet edit")
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "state", ["draft", "in_review", "approved", "scheduled", "live", "removed"]
)
@pytest.mark.parametrize("role", ["writer", "other_writer", "editor", "publisher"])
def test_inlines_ask_the_release_edit_rule(rf, request, role, state, make_release):
    user = request.getfixturevalue(role)
    if state == "removed":
        release = make_release("live")
        release.status = Status.REMOVED
        release.save()
    else:
        release = make_release(state)
    http = rf.get("/")
    http.user = user
    expected = workflow.can_edit(user, release)
    for inline_class in (ReleaseImageInline, ReleaseAttachmentInline):
        inline = inline_class(PressRelease, admin.site)
        assert inline.has_add_permission(http, release) is expected, inline_class
        assert inline.has_change_permission(http, release) is expected, inline_class
        assert inline.has_delete_permission(http, release) is expected, inline_class


def test_second_writer_cannot_change_files_through_the_release_form(
    client, writer, other_writer, make_release
):
    release = make_release("live")
    image = add_picture(release, caption="Original")
    client.force_login(other_writer)
    data = release_form_data(release, **{"images-0-caption": "Forged through the inline"})
    assert client.post(change_url(release), data).status_code == 403
    image.refresh_from_db()
    assert image.caption == "Original"


def test_a_public_release_picture_changes_only_as_a_noted_correction(client, editor, make_release):
    release = make_release("live")
    image = add_picture(release, caption="Three districts")
    client.force_login(editor)
    data = release_form_data(release, change_kind="minor", **{"images-0-caption": "Four districts"})
    response = client.post(change_url(release), data)
    assert response.status_code == 200  # refused, with the reason on the form
    assert "change only as a major change" in response.text
    image.refresh_from_db()
    assert image.caption == "Three districts"
    data = release_form_data(
        release,
        change_kind="major",
        change_note="Corrected the caption of the lead picture.",
        **{"images-0-caption": "Four districts"},
    )
    response = client.post(change_url(release), data)
    assert response.status_code == 302, response.text[:3000]
    image.refresh_from_db()
    assert image.caption == "Four districts"
    entry = AuditLogEntry.objects.get(release=release, action=AuditLogEntry.Action.CORRECT)
    assert entry.user == editor and "Four districts" in entry.note and "caption" in entry.note
    assert ChangeNote.objects.filter(release=release).count() == 1


def test_file_changes_through_the_inline_are_audited_by_name(client, writer, make_release):
    release = make_release("draft")
    image = add_picture(release, caption="Before")
    document = add_document(release, title="Old report")
    client.force_login(writer)
    data = release_form_data(
        release,
        **{
            "images-0-caption": "After",
            "attachments-0-DELETE": "on",
        },
    )
    response = client.post(change_url(release), data)
    assert response.status_code == 302, response.text[:3000]
    image.refresh_from_db()
    assert image.caption == "After"
    assert not ReleaseAttachment.objects.filter(pk=document.pk).exists()
    entry = AuditLogEntry.objects.filter(release=release, action="edit").first()
    assert "After" in entry.note and "Old report" in entry.note


# ---------------------------------------------------------------------------
# 2. Recovering a deleted release brings its files back
# ---------------------------------------------------------------------------


def _delete_through_the_admin(client, release, django_capture_on_commit_callbacks) -> Version:
    """Save once (a revision), then delete; on-commit work (file clean-up) runs."""
    assert client.post(change_url(release), release_form_data(release)).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(admin_url(PressRelease, "delete", release.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not PressRelease.objects.filter(pk=release.pk).exists()
    return Version.objects.get_deleted(PressRelease).get(object_id=str(release.pk))


def test_deleted_release_is_recovered_with_its_picture_and_document(
    client, administrator, make_release, django_capture_on_commit_callbacks
):
    release = make_release("draft", title="Deleted with its pictures")
    image = add_picture(release, caption="Clinic opening")
    document = add_document(release, title="Clinic report")
    client.force_login(administrator)
    version = _delete_through_the_admin(client, release, django_capture_on_commit_callbacks)
    url = admin_url(PressRelease, "recover", version.pk)
    assert client.get(url).status_code == 200
    response = client.post(url, release_form_data_for_recovery(release, image, document))
    assert response.status_code == 302, response.text[:3000]
    recovered = PressRelease.objects.get(pk=release.pk)
    assert recovered.status == Status.DRAFT
    assert list(recovered.images.values_list("caption", flat=True)) == ["Clinic opening"]
    assert list(recovered.attachments.values_list("title", flat=True)) == ["Clinic report"]
    preview = client.get(admin_url(ReleaseImage, "preview", image.pk, "thumb"))
    assert preview.status_code == 200 and preview["Content-Type"] == "image/jpeg"
    download = client.get(admin_url(ReleaseAttachment, "download", document.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def release_form_data_for_recovery(release, image, document) -> dict[str, str]:
    """The recover form posts what the deleted release held (its rows are gone now)."""
    data = {
        "title": release.title,
        "slug": release.slug,
        "summary": release.summary,
        "dateline_place": release.dateline_place,
        "dateline_date": release.dateline_date.isoformat(),
        "body": release.body,
        "tags": "",
        "lock_version_token": "",
        "issuers-TOTAL_FORMS": "1",
        "issuers-INITIAL_FORMS": "1",
        "contact_links-TOTAL_FORMS": "0",
        "contact_links-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    link = ReleaseOrganisation.objects.filter(release_id=release.pk).first()
    versions = Version.objects.get_deleted(ReleaseOrganisation)
    org_id = link.organisation_id if link else versions.first().field_dict["organisation_id"]
    link_id = link.pk if link else versions.first().object_id
    data.update(
        {
            "issuers-0-id": str(link_id),
            "issuers-0-release": str(release.pk),
            "issuers-0-organisation": str(org_id),
            "issuers-0-order": "0",
        }
    )
    images = [image] if image is not None else []
    data["images-TOTAL_FORMS"] = data["images-INITIAL_FORMS"] = str(len(images))
    for i, picture in enumerate(images):
        data.update(
            {
                f"images-{i}-id": str(picture.pk),
                f"images-{i}-release": str(release.pk),
                f"images-{i}-alt_text": picture.alt_text,
                f"images-{i}-caption": picture.caption,
                f"images-{i}-credit": picture.credit,
                f"images-{i}-usage_terms": picture.usage_terms,
                f"images-{i}-order": str(picture.order),
            }
        )
    documents = [document] if document is not None else []
    data["attachments-TOTAL_FORMS"] = data["attachments-INITIAL_FORMS"] = str(len(documents))
    for i, doc in enumerate(documents):
        data.update(
            {
                f"attachments-{i}-id": str(doc.pk),
                f"attachments-{i}-release": str(release.pk),
                f"attachments-{i}-title": doc.title,
                f"attachments-{i}-order": str(doc.order),
            }
        )
    return data


def test_recovery_names_a_file_that_is_gone_and_recovers_the_rest(
    client, administrator, make_release, django_capture_on_commit_callbacks
):
    release = make_release("draft", title="Recovered without one picture")
    image = add_picture(release, caption="The lost photograph")
    document = add_document(release, title="Surviving report")
    client.force_login(administrator)
    version = _delete_through_the_admin(client, release, django_capture_on_commit_callbacks)
    # Someone removed the original from storage by hand.
    if default_storage.exists(image.image.name):
        default_storage.delete(image.image.name)
    url = admin_url(PressRelease, "recover", version.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert any("The lost photograph" in m for m in messages_of(page))
    response = client.post(
        url, release_form_data_for_recovery(release, None, document), follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain and response.redirect_chain[-1][1] == 302
    recovered = PressRelease.objects.get(pk=release.pk)
    assert not recovered.images.exists()
    assert list(recovered.attachments.values_list("title", flat=True)) == ["Surviving report"]
    assert any("The lost photograph" in m and "missing" in m for m in messages_of(response)), (
        messages_of(response)
    )


def test_purge_orphan_files_keeps_what_a_revision_or_a_row_refers_to(
    make_release, django_capture_on_commit_callbacks, capsys
):
    import reversion

    release = make_release("draft")
    kept = add_picture(release, caption="Still on the release")
    gone = add_picture(release, caption="Deleted, but in a revision")
    with reversion.create_revision():
        release.save()
    with django_capture_on_commit_callbacks(execute=True):
        gone.delete()
    orphan = default_storage.save("releases/images/orphan.jpg", upload(image_bytes(), "o.jpg"))
    orphan_doc = default_storage.save(
        "releases/files/abc/stray.pdf", upload(pdf_bytes(), "s.pdf", "application/pdf")
    )
    names = [kept.image.name, gone.image.name, orphan, orphan_doc]
    assert all(default_storage.exists(name) for name in names)

    call_command("purge_orphan_files", "--dry-run", "--older-than", "0")
    out = capsys.readouterr().out
    assert orphan in out and orphan_doc in out
    assert kept.image.name not in out and gone.image.name not in out
    assert all(default_storage.exists(name) for name in names)  # a dry run deletes nothing

    call_command("purge_orphan_files", "--older-than", "24")  # too young to be sure
    assert default_storage.exists(orphan)

    call_command("purge_orphan_files", "--older-than", "0")
    assert not default_storage.exists(orphan) and not default_storage.exists(orphan_doc)
    assert default_storage.exists(kept.image.name) and default_storage.exists(gone.image.name)


# ---------------------------------------------------------------------------
# 3. Restoring a revision brings back all of it
# ---------------------------------------------------------------------------


def _save_revision(client, release, **overrides) -> Version:
    response = client.post(change_url(release), release_form_data(release, **overrides))
    assert response.status_code == 302, response.text[:3000]
    return workflow.versions_of(release).first()


def _restore(client, release, version):
    url = reverse("admin:releases_pressrelease_restore", args=[release.pk, version.pk])
    return client.post(url, follow=True)


def test_restore_brings_back_tags(client, editor, make_release):
    release = make_release("draft", created_by=editor)
    client.force_login(editor)
    old = _save_revision(client, release, tags="floods, health")
    new = _save_revision(client, release, tags="elections")
    assert set(release.tags.names()) == {"elections"}
    compare = client.get(
        reverse("admin:releases_pressrelease_compare", args=[release.pk]),
        {"a": old.pk, "b": new.pk},
    )
    assert "Topics" in compare.text and "floods, health" in compare.text
    _restore(client, release, old)
    assert set(release.tags.names()) == {"floods", "health"}


def test_restore_brings_back_partnerships_issuers_and_contacts(client, editor, make_release):
    first_org, second_org = OrganisationFactory(), OrganisationFactory()
    contact = MediaContactFactory()
    partnership = PartnershipFactory()
    release = make_release(
        "draft", created_by=editor, organisations=[first_org], contacts=[contact]
    )
    release.partnerships.set([partnership])
    client.force_login(editor)
    old = _save_revision(client, release)
    release.partnerships.clear()
    ReleaseOrganisation.objects.filter(release=release).update(organisation=second_org)
    ReleaseContact.objects.filter(release=release).delete()
    _save_revision(client, release)
    _restore(client, release, old)
    assert list(release.partnerships.all()) == [partnership]
    assert list(release.issuers.values_list("organisation", flat=True)) == [first_org.pk]
    assert list(release.contact_links.values_list("contact", flat=True)) == [contact.pk]


def test_restore_brings_back_pictures_and_documents(client, editor, make_release):
    release = make_release("draft", created_by=editor)
    caption_changed = add_picture(release, caption="Original caption")
    deleted_since = add_picture(release, caption="Deleted since")
    document = add_document(release, title="Original document title")
    client.force_login(editor)
    old = _save_revision(client, release)
    # Later: a caption and alt text rewritten, a picture deleted, a document
    # renamed, a picture added.
    data = release_form_data(release)
    order = {int(data[f"images-{i}-id"]): i for i in range(2)}
    i, j = order[caption_changed.pk], order[deleted_since.pk]
    data[f"images-{i}-caption"] = "Rewritten caption"
    data[f"images-{i}-alt_text"] = "Rewritten alt text"
    data[f"images-{j}-DELETE"] = "on"
    data["attachments-0-title"] = "Renamed document"
    assert client.post(change_url(release), data).status_code == 302
    added_since = add_picture(release, caption="Added since")

    response = _restore(client, release, old)
    assert response.status_code == 200
    captions = dict(release.images.values_list("pk", "caption"))
    assert captions == {caption_changed.pk: "Original caption", deleted_since.pk: "Deleted since"}
    assert ReleaseImage.objects.get(pk=caption_changed.pk).alt_text == caption_changed.alt_text
    assert not ReleaseImage.objects.filter(pk=added_since.pk).exists()
    assert ReleaseAttachment.objects.get(pk=document.pk).title == "Original document title"
    # The picture that came back is served to staff from its kept file.
    preview = client.get(admin_url(ReleaseImage, "preview", deleted_since.pk, "thumb"))
    assert preview.status_code == 200


def test_restore_says_which_picture_it_could_not_bring_back(client, editor, make_release):
    release = make_release("draft", created_by=editor)
    lost = add_picture(release, caption="Picture whose file is gone")
    client.force_login(editor)
    old = _save_revision(client, release)
    data = release_form_data(release, **{"images-0-DELETE": "on"})
    assert client.post(change_url(release), data).status_code == 302
    default_storage.delete(lost.image.name)
    response = _restore(client, release, old)
    assert not release.images.exists()
    text = " ".join(messages_of(response))
    assert "Picture whose file is gone" in text and "could not" in text
    entry = AuditLogEntry.objects.get(release=release, action="restore")
    assert "Picture whose file is gone" in entry.note


def test_restore_of_a_revision_without_tags_says_so(client, editor, make_release):
    """Revisions kept before tags were recorded leave the tags alone, and say so."""
    release = make_release("draft", created_by=editor, tags=["floods"])
    client.force_login(editor)
    old = _save_revision(client, release)
    Version.objects.filter(pk=old.pk).update(
        format="json", serialized_data=old.serialized_data.replace('"tag_names"', '"_ignored"')
    )
    _save_revision(client, release, tags="elections")
    response = _restore(client, release, Version.objects.get(pk=old.pk))
    assert set(release.tags.names()) == {"elections"}
    assert any("topics" in m.lower() for m in messages_of(response))


def test_recovery_brings_back_tags(
    client, administrator, make_release, django_capture_on_commit_callbacks
):
    release = make_release("draft", title="Tagged and deleted", tags=["floods", "health"])
    client.force_login(administrator)
    version = _delete_through_the_admin(client, release, django_capture_on_commit_callbacks)
    url = admin_url(PressRelease, "recover", version.pk)
    page = client.get(url)
    shown = page.context["adminform"].form["tags"].value()
    assert {tag.name for tag in shown} == {"floods", "health"}
    data = release_form_data_for_recovery(release, None, None)
    data["tags"] = "floods, health"  # what the recover form shows, posted back
    assert client.post(url, data).status_code == 302
    recovered = PressRelease.objects.get(pk=release.pk)
    assert set(recovered.tags.names()) == {"floods", "health"}


def test_restoring_pictures_of_a_public_release_needs_a_change_note(client, editor, make_release):
    release = make_release("live")
    image = add_picture(release, caption="Original caption")
    client.force_login(editor)
    old = _save_revision(client, release, change_kind="minor")
    data = release_form_data(
        release,
        change_kind="major",
        change_note="Named the clinic in the caption.",
        **{"images-0-caption": "Caption naming the clinic"},
    )
    assert client.post(change_url(release), data).status_code == 302
    url = reverse("admin:releases_pressrelease_restore", args=[release.pk, old.pk])
    response = client.post(url, follow=True)
    assert "change note" in " ".join(messages_of(response))
    image.refresh_from_db()
    assert image.caption == "Caption naming the clinic"  # nothing restored
    response = client.post(url, {"change_note": "Restored the original caption."}, follow=True)
    image.refresh_from_db()
    assert image.caption == "Original caption"
    assert ChangeNote.objects.filter(release=release, note="Restored the original caption.")
    entry = AuditLogEntry.objects.get(release=release, action="restore")
    assert "Original caption" in entry.note

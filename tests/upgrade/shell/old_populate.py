"""What staff would have added through the OLD admin, for the upgrade test.

Run by the OLD code (``manage.py shell -c``) after ``migrate``, ``load_demo``
and ``import_releases``; never imported by pytest.  ``load_demo`` makes no
pictures and the import makes none either, so this adds a picture (a PNG
made with Pillow) and a document to a published release inside a reversion
revision, as ``PressReleaseAdmin`` (a ``VersionAdmin``) would: files under
MEDIA_ROOT and ``Version`` rows for the release and its followed inlines.
The old ``BulletinAdmin`` is a plain ``ModelAdmin``, so the old code never
made revisions of a bulletin and none are made here.

It also leaves what points at the moved models by content type id: admin
``LogEntry`` rows for a bulletin and an import record, and a user holding
bulletin and import-record permissions directly and through a role group.
Prints the ids it made as one JSON line.
"""

import io
import json
import os
from pathlib import Path

import reversion
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from releases.models import Bulletin, ImportRecord, PressRelease, ReleaseAttachment, ReleaseImage

POPULATE_MARKER = "@@UPGRADE-POPULATE@@"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 110, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def _log_change(user, obj, message):
    return LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action_flag=CHANGE,
        change_message=json.dumps([{"changed": {"fields": [message]}}]),
    )


def populate():
    users = get_user_model()
    admin = users.objects.create_user("upgrade-admin", "upgrade-admin@example.org", None)
    admin.is_staff = admin.is_superuser = True
    admin.save()

    release = PressRelease.objects.published().order_by("pk").first()
    docx = ContentFile(Path(os.environ["UPGRADE_DOCX"]).read_bytes(), name="lahore_training.docx")
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(admin)
        reversion.set_comment("Added a picture and the training agenda.")
        picture = ReleaseImage(
            release=release,
            image=ContentFile(_png(), name="harbour.png"),
            alt_text="Volunteers on the harbour wall",
            caption="Volunteers sort plastic on the old harbour wall.",
            credit="© Harbour Development Board 2024/Upgrade Test",
            is_lead=True,
        )
        picture.full_clean()
        picture.save()
        document = ReleaseAttachment(release=release, title="Training agenda", file=docx)
        document.full_clean()
        document.save()
        release.save()

    bulletin = Bulletin.objects.order_by("pk").first()
    bulletin.intro = (bulletin.intro + "\nCorrected after the upgrade test's edit.").strip()
    bulletin.save()
    record = ImportRecord.objects.order_by("pk").first()
    entries = [
        _log_change(admin, bulletin, "Intro"),
        _log_change(admin, record, "Review notes"),
        _log_change(admin, release, "Pictures"),
    ]

    editor = users.objects.create_user("upgrade-editor", "upgrade-editor@example.org", None)
    editor.is_staff = True
    editor.save()
    editor.groups.add(Group.objects.get(name="Editor"))
    editor.user_permissions.add(
        Permission.objects.get(content_type__app_label="releases", codename="change_bulletin"),
        Permission.objects.get(content_type__app_label="releases", codename="view_importrecord"),
    )
    editor = users.objects.get(pk=editor.pk)  # a fresh permission cache
    return {
        "release_id": release.pk,
        "image_id": picture.pk,
        "image_name": picture.image.name,
        "attachment_id": document.pk,
        "attachment_name": document.file.name,
        "bulletin_id": bulletin.pk,
        "import_record_id": record.pk,
        "log_entry_ids": [entry.pk for entry in entries],
        "editor_perms": {
            "releases.change_bulletin": editor.has_perm("releases.change_bulletin"),
            "releases.view_importrecord": editor.has_perm("releases.view_importrecord"),
        },
    }


print(POPULATE_MARKER, json.dumps(populate()))

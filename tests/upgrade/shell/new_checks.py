"""What the NEW code sees in the upgraded database, printed as one JSON line.

Run by the NEW code (``manage.py shell -c``) after its ``migrate``; never
imported by pytest.  It reads the moved models where they now live
(``bulletins.models``, ``importer.models``) through the ORM, so the tables,
columns and many-to-many tables the new model state expects are really
queried; it loads every reversion ``Version`` and admin ``LogEntry`` the way
the admin's history and recover views do.  It only collects facts and error
messages: the test makes the assertions, so one run reports every problem.
"""

import json

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from reversion.models import Version

from bulletins.models import Bulletin, BulletinItem
from importer.models import ImportRecord
from releases.models import ReleaseAttachment, ReleaseImage

CHECKS_MARKER = "@@UPGRADE-CHECKS@@"
MOVED_MODELS = {"bulletin": Bulletin, "bulletinitem": BulletinItem, "importrecord": ImportRecord}
VERBS = ("add", "change", "delete", "view")


def _error(what, exc):
    return f"{what}: {type(exc).__name__}: {exc}"


def moved_models():
    facts = {}
    for name, model in MOVED_MODELS.items():
        opts = model._meta
        facts[name] = {
            "app_label": opts.app_label,
            "db_table": opts.db_table,
            "ids": sorted(model._base_manager.values_list("pk", flat=True)),
            "content_type_ids": sorted(
                ContentType.objects.filter(
                    app_label=opts.app_label, model=opts.model_name
                ).values_list("id", flat=True)
            ),
        }
    return facts


def version_errors():
    """Every revision must still open: its model, its stored fields, its object."""
    errors = []
    for version in Version.objects.select_related("content_type").order_by("pk"):
        what = f"Version {version.pk} ({version.content_type_id} {version.content_type})"
        if version.content_type.model_class() is None:
            errors.append(f"{what}: no model for this content type")
            continue
        try:
            version.field_dict  # noqa: B018 - reading it deserialises the stored fields
            version._object_version.object  # noqa: B018 - the object the recover view builds
        except Exception as exc:
            errors.append(_error(what, exc))
    return errors


def log_entries():
    """(id, "app_label.model" of the edited object, error) for each admin log entry."""
    rows = []
    for entry in LogEntry.objects.select_related("content_type").order_by("pk"):
        model = entry.content_type.model_class() if entry.content_type else None
        label = model._meta.label_lower if model else None
        error = None
        try:
            entry.get_edited_object()
        except Exception as exc:
            error = _error(f"LogEntry {entry.pk}", exc)
        rows.append([entry.pk, label, error])
    return rows


def permissions():
    found = {}
    for name in MOVED_MODELS:
        for verb in VERBS:
            codename = f"{verb}_{name}"
            found[codename] = [
                [p.pk, p.content_type_id, p.content_type.app_label, p.content_type.model]
                for p in Permission.objects.filter(codename=codename).select_related("content_type")
            ]
    return found


def checks():
    facts = {"moved_models": moved_models()}
    facts["bulletin_items"] = [
        [item.pk, item.bulletin_id, item.release_id, item.order]
        for item in BulletinItem.objects.order_by("pk")
    ]
    facts["bulletin_releases"] = {
        str(bulletin.pk): sorted(bulletin.releases.values_list("pk", flat=True))
        for bulletin in Bulletin.objects.order_by("pk")
    }
    facts["import_records"] = [
        [record.pk, record.sha256, record.bulletin.pk if record.bulletin else None]
        for record in ImportRecord.objects.select_related("bulletin").order_by("pk")
    ]
    facts["import_record_releases"] = {
        str(record.pk): sorted(record.releases.values_list("pk", flat=True))
        for record in ImportRecord.objects.order_by("pk")
    }
    # releases/0010_search_rank_vector fills the ranking vector of every release
    # an older newsroom indexed (PostgreSQL only; SQLite has no vectors).
    from releases.models import PressRelease

    indexed = PressRelease.objects.filter(search_vector__isnull=False)
    facts["indexed_releases"] = indexed.count()
    facts["releases_without_rank_vector"] = indexed.filter(rank_vector__isnull=True).count()
    # releases/0012_release_language: every old release is in the default
    # language and a story of its own (a key each, none shared).
    from django.conf import settings
    from django.db.models import Count

    facts["releases"] = PressRelease.objects.count()
    facts["releases_not_in_default_language"] = PressRelease.objects.exclude(
        language=settings.LANGUAGE_CODE
    ).count()
    facts["translation_keys"] = PressRelease.objects.values("translation_key").distinct().count()
    facts["keys_shared"] = (
        PressRelease.objects.values("translation_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    facts["version_errors"] = version_errors()
    facts["log_entries"] = log_entries()
    facts["permissions"] = permissions()
    facts["group_permission_labels"] = {
        group.name: sorted(
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        )
        for group in Group.objects.order_by("name")
    }
    editor = get_user_model().objects.get(username="upgrade-editor")
    facts["editor_perms"] = {
        perm: editor.has_perm(perm)
        for perm in ("bulletins.change_bulletin", "importer.view_importrecord")
    }
    facts["stored_files"] = [
        [
            model.__name__,
            row.pk,
            getattr(row, attr).name,
            default_storage.exists(getattr(row, attr).name),
        ]
        for model, attr in ((ReleaseImage, "image"), (ReleaseAttachment, "file"))
        for row in model.objects.order_by("pk")
    ]
    return facts


print(CHECKS_MARKER, json.dumps(checks(), default=str))

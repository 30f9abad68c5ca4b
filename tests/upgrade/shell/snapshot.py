"""Snapshot of the upgrade test's database, printed as one JSON line.

Run through ``manage.py shell -c`` twice: by the OLD code before the upgrade
and by the NEW code after it (never imported by pytest).  It must mean the
same thing under both layouts, so it imports no model of the project: the
moved models are read by their table names (which the split keeps), and the
rest through Django's contrib models and django-reversion's ``Version``, whose
rows point at content types by id.
"""

import json
from collections import Counter

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from reversion.models import Version

SNAPSHOT_MARKER = "@@UPGRADE-SNAPSHOT@@"


def _select(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [list(row) for row in cursor.fetchall()]


def _table_rows(present, table, columns):
    """Rows of ``table`` ordered by its first column; None if the table is gone."""
    if table not in present:
        return None
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in columns)
    return _select(f"SELECT {cols} FROM {qn(table)} ORDER BY {qn(columns[0])}")  # noqa: S608


def take_snapshot():
    qn = connection.ops.quote_name
    tables = sorted(connection.introspection.table_names())
    present = set(tables)
    counts = {
        table: _select(f"SELECT COUNT(*) FROM {qn(table)}")[0][0]  # noqa: S608
        for table in tables
    }
    versions = Counter(Version.objects.values_list("content_type_id", flat=True))
    return {
        "table_counts": counts,
        "bulletins": _table_rows(present, "releases_bulletin", ["id", "slug"]),
        "bulletin_items": _table_rows(
            present, "releases_bulletinitem", ["id", "bulletin_id", "release_id", "order"]
        ),
        "import_records": _table_rows(
            present, "releases_importrecord", ["id", "sha256", "bulletin_id"]
        ),
        "import_record_releases": _table_rows(
            present, "releases_importrecord_releases", ["id", "importrecord_id", "pressrelease_id"]
        ),
        "content_types": sorted(ContentType.objects.values_list("id", "app_label", "model")),
        "permissions": sorted(Permission.objects.values_list("id", "content_type_id", "codename")),
        "group_permissions": {
            group.name: sorted(group.permissions.values_list("id", flat=True))
            for group in Group.objects.order_by("name")
        },
        "versions_per_content_type": {str(ct): n for ct, n in sorted(versions.items())},
        "log_entries": sorted(LogEntry.objects.values_list("id", "content_type_id", "object_id")),
    }


print(SNAPSHOT_MARKER, json.dumps(take_snapshot(), default=str))

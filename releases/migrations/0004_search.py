"""Full-text search: a weighted tsvector column, its GIN index, pg_trgm and a
trigram index on titles for the misspelling fallback.

The column type ``tsvector`` is harmless on SQLite (any type name is
accepted; the column simply stays empty there).  Everything else is
PostgreSQL-only and checks ``schema_editor.connection.vendor`` so that
``migrate`` still runs on SQLite.  ``TrigramExtension`` skips itself on other
databases.
"""

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    "CREATE INDEX IF NOT EXISTS release_search_vector_gin "
    "ON releases_pressrelease USING gin (search_vector) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS release_title_trgm_gin "
    "ON releases_pressrelease USING gin (title gin_trgm_ops)",
]
DROP_INDEXES = [
    "DROP INDEX IF EXISTS release_search_vector_gin",
    "DROP INDEX IF EXISTS release_title_trgm_gin",
]

# fastupdate is off for the vector index: releases are written rarely and read
# often, so each write goes straight into the index instead of a pending list
# that every search would have to scan (and that makes the planner shun the
# index until a vacuum flushes it).

# Mirrors search.vectors._search_vector_expression for rows that exist
# before the signals were installed.
BACKFILL = """
UPDATE releases_pressrelease AS r SET search_vector =
    setweight(to_tsvector('english', coalesce(r.title, '')), 'A')
 || setweight(to_tsvector('english', coalesce(r.summary, '')), 'B')
 || setweight(to_tsvector('english',
        coalesce((SELECT string_agg(o.name || ' ' || o.acronym, ' ')
                  FROM releases_releaseorganisation ro
                  JOIN contacts_organisation o ON o.id = ro.organisation_id
                  WHERE ro.release_id = r.id), '')
        || ' ' ||
        coalesce((SELECT string_agg(t.name, ' ')
                  FROM taggit_taggeditem ti
                  JOIN taggit_tag t ON t.id = ti.tag_id
                  JOIN django_content_type ct ON ct.id = ti.content_type_id
                  WHERE ct.app_label = 'releases' AND ct.model = 'pressrelease'
                    AND ti.object_id = r.id), '')
        || ' ' || coalesce(r.dateline_place, '')), 'C')
 || setweight(to_tsvector('english', coalesce(r.body, '')), 'D')
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in INDEXES:
        schema_editor.execute(sql)
    schema_editor.execute(BACKFILL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in DROP_INDEXES:
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("releases", "0003_bulletins"),
        ("taggit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="pressrelease",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                blank=True, editable=False, null=True
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]

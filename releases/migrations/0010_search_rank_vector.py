"""A small ranking vector beside the search vector, and narrow rows.

Search matched through the GIN index, then ranked every match with
``ts_rank`` over the full vector: for a query matching 9,000 of 100,000
releases that read 9,000 wide rows (600-word body and its vector stored
in the row) and 9,000 large vectors.  Two changes, PostgreSQL only:

* ``rank_vector``: title, summary, issuers, topics and place (weights A–C)
  without the body, filled from the existing vectors with ``ts_filter``;
  ranking reads this one, small and in the row.
* ``toast_tuple_target = 256``: the body and the full vector move out of
  the row (TOAST), so the table the searches and lists walk is a tenth of
  its size and stays in shared buffers.  The backfill ``UPDATE`` rewrites
  every row, which applies the new target to existing rows too.
"""

import django.contrib.postgres.search
from django.db import migrations

FORWARDS = [
    "ALTER TABLE releases_pressrelease SET (toast_tuple_target = 256)",
    "UPDATE releases_pressrelease SET rank_vector = ts_filter(search_vector, '{a,b,c}') "
    "WHERE search_vector IS NOT NULL",
]
BACKWARDS = ["ALTER TABLE releases_pressrelease RESET (toast_tuple_target)"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in FORWARDS:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in BACKWARDS:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0009_audit_checked"),
    ]

    operations = [
        migrations.AddField(
            model_name="pressrelease",
            name="rank_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                blank=True, editable=False, null=True
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]

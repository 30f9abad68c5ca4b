"""Bulletins and import records moved to the ``bulletins`` and ``importer`` apps.

State only: the tables stay as they are (the new models keep their
``db_table``), so no row moves.  Runs after the new apps have taken the
models into their own state.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("releases", "0007_perf_indexes"),
        ("bulletins", "0001_initial"),
        ("importer", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='bulletinitem',
                    name='bulletin',
                ),
                migrations.RemoveField(
                    model_name='importrecord',
                    name='bulletin',
                ),
                migrations.RemoveField(
                    model_name='bulletinitem',
                    name='release',
                ),
                migrations.RemoveField(
                    model_name='importrecord',
                    name='imported_by',
                ),
                migrations.RemoveField(
                    model_name='importrecord',
                    name='releases',
                ),
                migrations.DeleteModel(
                    name='Bulletin',
                ),
                migrations.DeleteModel(
                    name='BulletinItem',
                ),
                migrations.DeleteModel(
                    name='ImportRecord',
                ),
            ],
        ),
    ]

"""Bulletins and import records moved to the ``bulletins`` and ``importer`` apps.

State only: the tables stay as they are (the new models keep their
``db_table``), so no row moves.  Runs after the new apps have taken the
models into their own state.  The models' content types are renamed in
place, so that permissions, admin log entries and django-reversion versions
keep pointing at the same rows (same ids).
"""

from django.db import migrations

#: Model name → the app it moved to.
MOVED = {"bulletin": "bulletins", "bulletinitem": "bulletins", "importrecord": "importer"}


def _rename_content_types(apps, schema_editor, *, back: bool = False) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model, new_app in MOVED.items():
        old, new = (new_app, "releases") if back else ("releases", new_app)
        if not ContentType.objects.using(db).filter(app_label=old, model=model).exists():
            continue  # a new database: post_migrate creates them under the new label
        # A twin made by an earlier, interrupted upgrade holds nothing of value.
        ContentType.objects.using(db).filter(app_label=new, model=model).delete()
        ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor) -> None:
    _rename_content_types(apps, schema_editor)


def backwards(apps, schema_editor) -> None:
    _rename_content_types(apps, schema_editor, back=True)


class Migration(migrations.Migration):

    dependencies = [
        ("releases", "0007_perf_indexes"),
        ("bulletins", "0001_initial"),
        ("importer", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
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
        migrations.RunPython(forwards, backwards),
    ]

"""Import records, moved here from ``releases`` with their table and rows as they are.

The tables were made by ``releases.0003_bulletins``; this migration only
takes the model into this app's state and renames its content type.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _move_content_types(app_label: str, models: tuple[str, ...], *, back: bool = False):
    """Rename the models' content types so that permissions, admin log entries
    and django-reversion versions keep pointing at the same rows (same ids)."""
    old, new = ("releases", app_label) if not back else (app_label, "releases")

    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        for model in models:
            if not ContentType.objects.using(db).filter(app_label=old, model=model).exists():
                continue  # a new database: post_migrate will create them
            # A twin made by an earlier, interrupted upgrade has nothing of value.
            ContentType.objects.using(db).filter(app_label=new, model=model).delete()
            ContentType.objects.using(db).filter(app_label=old, model=model).update(
                app_label=new
            )
        ContentType.objects.clear_cache()

    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('bulletins', '0001_initial'),
        ('releases', '0007_perf_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ImportRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sha256', models.CharField(max_length=64, unique=True, verbose_name='SHA-256')),
                        ('filename', models.CharField(max_length=255)),
                        ('encoding', models.CharField(blank=True, max_length=40)),
                        ('imported_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('result', models.CharField(help_text='One-line summary.', max_length=300)),
                        ('report', models.TextField(blank=True)),
                        ('review_notes', models.TextField(blank=True, help_text='Things staff should check: differing boilerplates, unknown lines.')),
                        ('bulletin', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='imports', to='bulletins.bulletin')),
                        ('imported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('releases', models.ManyToManyField(blank=True, related_name='import_records', to='releases.pressrelease')),
                    ],
                    options={
                        'db_table': 'releases_importrecord',
                        'ordering': ['-imported_at', '-id'],
                    },
                ),
            ],
        ),
        migrations.RunPython(
            _move_content_types("importer", ('importrecord',)),
            _move_content_types("importer", ('importrecord',), back=True),
        ),
    ]

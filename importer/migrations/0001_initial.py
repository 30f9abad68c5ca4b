"""Import records, moved here from ``releases`` with their table and rows as they are.

The tables were made by ``releases.0003_bulletins``; this migration only
takes the model into this app's state (``releases.0008`` renames its
content type).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models



class Migration(migrations.Migration):

    initial = True

    dependencies = [
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
    ]

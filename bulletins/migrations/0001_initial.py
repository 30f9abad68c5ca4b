"""Bulletins, moved here from ``releases`` with their tables and rows as they are.

The tables were made by ``releases.0003_bulletins``; this migration only
takes the models into this app's state (``releases.0008`` renames their
content types).
"""

import django.db.models.deletion
from django.db import migrations, models



class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contacts', '0001_initial'),
        ('releases', '0007_perf_indexes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Bulletin',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(help_text='e.g. Media Update — 19 October 2023', max_length=300)),
                        ('slug', models.SlugField(max_length=300, unique=True)),
                        ('date', models.DateField()),
                        ('intro', models.TextField(blank=True, help_text='Optional lines printed before the releases.')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('organisation', models.ForeignKey(blank=True, help_text='The organisation that sends the bulletin.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='bulletins', to='contacts.organisation')),
                    ],
                    options={
                        'db_table': 'releases_bulletin',
                        'ordering': ['-date', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='BulletinItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('order', models.PositiveSmallIntegerField(default=0)),
                        ('bulletin', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='bulletins.bulletin')),
                        ('release', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bulletin_items', to='releases.pressrelease')),
                    ],
                    options={
                        'verbose_name': 'bulletin release',
                        'db_table': 'releases_bulletinitem',
                        'ordering': ['order', 'id'],
                    },
                ),
                migrations.AddField(
                    model_name='bulletin',
                    name='releases',
                    field=models.ManyToManyField(related_name='bulletins', through='bulletins.BulletinItem', to='releases.pressrelease'),
                ),
                migrations.AddConstraint(
                    model_name='bulletinitem',
                    constraint=models.UniqueConstraint(fields=('bulletin', 'release'), name='unique_bulletin_release'),
                ),
            ],
        ),
    ]

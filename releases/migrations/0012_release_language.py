"""Releases get a language and a translation key.

Every existing release was written in the default language.  Each gets a
translation key of its own: ``AddField`` with ``default=uuid4`` would give
every existing row the *same* key (the default is evaluated once), making
them all "translations" of one another, so the key is added empty, filled
row by row, and only then required.
"""

import uuid

from django.db import migrations, models

import core.i18n


def give_each_release_its_own_key(apps, schema_editor):
    PressRelease = apps.get_model("releases", "PressRelease")
    rows = PressRelease.objects.filter(translation_key__isnull=True).only("pk")
    batch = []
    for release in rows.iterator(chunk_size=2000):
        release.translation_key = uuid.uuid4()
        batch.append(release)
        if len(batch) == 2000:
            PressRelease.objects.bulk_update(batch, ["translation_key"])
            batch = []
    if batch:
        PressRelease.objects.bulk_update(batch, ["translation_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0011_audit_action_distribute"),
    ]

    operations = [
        migrations.AddField(
            model_name="pressrelease",
            name="language",
            field=models.CharField(
                choices=core.i18n.language_choices,
                db_index=True,
                default=core.i18n.default_language,
                help_text="The language this release is written in.",
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="pressrelease",
            name="translation_key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_each_release_its_own_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="pressrelease",
            name="translation_key",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False),
        ),
        migrations.AddConstraint(
            model_name="pressrelease",
            constraint=models.UniqueConstraint(
                fields=("translation_key", "language"), name="release_one_per_language"
            ),
        ),
    ]

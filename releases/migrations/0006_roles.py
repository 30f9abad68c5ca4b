"""Create the newsroom's roles (Writer, Editor, Publisher, Contacts manager,
Administrator) as groups with their permissions; see releases/roles.py."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from releases.roles import sync_roles

    sync_roles(apps)


def delete_roles(apps, schema_editor):
    from releases.roles import ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("contacts", "0001_initial"),
        ("releases", "0005_workflow"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]

from django.db import migrations

from apps.core.migration_helpers import grant_center_staff_permissions


def create_center_staff_group(apps, schema_editor):
    # Audit events are read-only for everyone; the rest of these apps center staff manage.
    grant_center_staff_permissions(
        apps,
        ["accounts", "core", "notifications"],
        exclude={"add_auditevent", "change_auditevent", "delete_auditevent", "delete_policysettings"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("core", "0001_initial"),
        ("notifications", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_center_staff_group, migrations.RunPython.noop)]

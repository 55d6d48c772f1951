from django.db import migrations

from apps.core.migration_helpers import grant_center_staff_permissions
from apps.guidance.seed_data import load_procedures


def seed(apps, schema_editor):
    load_procedures(apps)
    # Center staff edit procedures and read checklists; reminders are the system's own rows.
    grant_center_staff_permissions(
        apps,
        ["guidance"],
        exclude={"add_checklistreminder", "change_checklistreminder", "delete_checklistreminder"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("guidance", "0001_initial"),
        ("accounts", "0002_center_staff_group"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

from django.db import migrations

from apps.core.migration_helpers import grant_center_staff_permissions


def grant(apps, schema_editor):
    grant_center_staff_permissions(apps, ["exchange"])


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0001_initial"),
        ("accounts", "0002_center_staff_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

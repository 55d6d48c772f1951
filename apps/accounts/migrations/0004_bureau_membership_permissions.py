from django.db import migrations

from apps.core.migration_helpers import grant_center_staff_permissions


def grant(apps, schema_editor):
    grant_center_staff_permissions(apps, ["accounts"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_bureau_membership")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

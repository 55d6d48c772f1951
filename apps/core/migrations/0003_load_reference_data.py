from django.db import migrations

from apps.core.migration_helpers import grant_center_staff_permissions
from apps.core.reference_data import load_reference_data


def load(apps, schema_editor):
    load_reference_data(apps)
    grant_center_staff_permissions(apps, ["core"], exclude={"add_auditevent", "change_auditevent", "delete_auditevent", "delete_policysettings"})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_reference_data_models"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

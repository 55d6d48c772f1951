from django.db import migrations

from apps.core.migration_helpers import grant_center_staff_permissions
from apps.evaluations.reference import load_reference


def forwards(apps, schema_editor):
    grant_center_staff_permissions(apps, ["evaluations"])
    load_reference(
        apps.get_model("evaluations", "Rubric"),
        apps.get_model("evaluations", "RubricLevel"),
        apps.get_model("evaluations", "SurveyQuestion"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0001_initial"),
        ("accounts", "0002_center_staff_group"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

import django.db.models.functions
from django.db import migrations, models


def backfill(apps, schema_editor):
    # Existing rows last changed no later than now; their registration time is the best we know.
    apps.get_model("schools", "School").objects.update(updated_at=models.F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0004_contact_phone_validator"),
    ]

    operations = [
        migrations.AddField(
            model_name="school",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True,
                db_default=django.db.models.functions.Now(),
                verbose_name="updated at",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="school",
            index=models.Index(fields=["updated_at", "id"], name="schools_school_sync"),
        ),
    ]

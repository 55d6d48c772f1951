import django.db.models.functions
from django.db import migrations, models


def backfill(apps, schema_editor):
    # Existing rows last changed no later than now; their creation time is the best we know.
    for name in ("Employment", "ExchangeVisit"):
        model = apps.get_model("employment", name)
        model.objects.update(updated_at=models.F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("employment", "0004_change_arrival_time"),
    ]

    operations = [
        migrations.AddField(
            model_name="employment",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True,
                db_default=django.db.models.functions.Now(),
                verbose_name="updated at",
            ),
        ),
        migrations.AddField(
            model_name="exchangevisit",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True,
                db_default=django.db.models.functions.Now(),
                verbose_name="updated at",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="employment",
            index=models.Index(fields=["updated_at", "id"], name="employment_sync"),
        ),
        migrations.AddIndex(
            model_name="exchangevisit",
            index=models.Index(fields=["updated_at", "id"], name="employment_visit_sync"),
        ),
    ]

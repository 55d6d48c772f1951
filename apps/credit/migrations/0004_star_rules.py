from decimal import Decimal

from django.db import migrations

# (level, min mean, min lowest dimension, max quarters with a serious incident, min quarters)
DEFAULT_RULES = [
    (5, "4.50", "4.00", 0, 4),
    (4, "4.00", "3.50", 0, 4),
    (3, "3.50", "3.00", 0, 2),
    (2, "3.00", "2.50", 1, 2),
    (1, "2.00", "1.50", 2, 2),
]


def create_rules(apps, schema_editor):
    StarRule = apps.get_model("credit", "StarRule")
    for level, mean, lowest, incidents, quarters in DEFAULT_RULES:
        StarRule.objects.get_or_create(
            level=level,
            defaults={
                "min_mean": Decimal(mean),
                "min_lowest_dimension": Decimal(lowest),
                "max_incidents": incidents,
                "min_quarters": quarters,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("credit", "0003_star_levels")]

    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]

from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations


def site_from_settings(apps, schema_editor):
    """Name the sites framework's Site after SITE_NAME and SITE_URL (not example.com)."""
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={
            "domain": urlsplit(settings.SITE_URL).netloc[:100],
            "name": settings.SITE_NAME[:50],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_policy_credit_settings"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(site_from_settings, migrations.RunPython.noop)]

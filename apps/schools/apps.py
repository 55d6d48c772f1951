from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.schools"
    label = "schools"
    verbose_name = _("Schools")

    def ready(self) -> None:
        from apps.core.personal_data import register_personal_data

        from . import caching, personal_data

        # The bureau's cached lists and counts are retired by every write of what they show.
        caching.connect_receivers()
        register_personal_data(
            "school_staff",
            exporter=personal_data.export_school_staff,
            eraser=personal_data.erase_school_staff,
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.evaluations"
    verbose_name = _("Quarterly evaluations")

    def ready(self) -> None:
        from apps.core.personal_data import register_personal_data

        from . import caching, personal_data

        # The cached survey tables are retired by every write of what they aggregate.
        caching.connect_receivers()
        register_personal_data(
            "evaluations",
            exporter=personal_data.export_evaluations,
            eraser=personal_data.erase_evaluations,
        )

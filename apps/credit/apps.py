from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.credit"
    verbose_name = _("Credit")

    def ready(self) -> None:
        from apps.core.personal_data import register_personal_data

        from . import personal_data

        register_personal_data(
            "credit", exporter=personal_data.export_credit, eraser=personal_data.erase_credit
        )

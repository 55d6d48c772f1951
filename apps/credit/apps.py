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

        from apps.teachers.selectors import register_record_hold

        from .selectors import credit_records_kept

        # A record names its subject until the daily sweep deletes it: deletion waits.
        register_record_hold("credit", credit_records_kept)

        from .caching import connect_receivers

        connect_receivers()

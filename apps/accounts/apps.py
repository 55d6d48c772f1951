from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from apps.core.personal_data import register_personal_data

        from . import personal_data

        register_personal_data(
            "account", exporter=personal_data.export_account, eraser=personal_data.erase_account
        )

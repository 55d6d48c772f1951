from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.exchange"
    verbose_name = _("Data exchange")

    def ready(self) -> None:
        from .api import schema  # noqa: F401  (registers the bearer scheme with drf-spectacular)

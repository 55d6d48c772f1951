from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.admission"
    verbose_name = _("Admission standard")

    def ready(self) -> None:
        from .caching import receivers_connect

        # Cached teacher pages follow every write to an input of the admission result.
        receivers_connect()

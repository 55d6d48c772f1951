from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        from . import caching

        # The school dashboard's cached figures are retired by every write of what they show.
        caching.connect_receivers()

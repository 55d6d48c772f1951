from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from apps.core.personal_data import register_personal_data

        from . import personal_data

        register_personal_data(
            "notifications",
            exporter=personal_data.export_notifications,
            eraser=personal_data.erase_notifications,
        )

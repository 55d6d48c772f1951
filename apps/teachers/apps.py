from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeachersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.teachers"
    verbose_name = _("Foreign teachers")

    def ready(self) -> None:
        from apps.core.audit_labels import register_action_labels
        from apps.core.personal_data import register_personal_data

        from . import personal_data
        from .audit import ACTION_LABELS

        register_action_labels(ACTION_LABELS)
        register_personal_data(
            "teacher", exporter=personal_data.export_teacher, eraser=personal_data.erase_teacher
        )

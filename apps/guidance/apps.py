from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.guidance"
    verbose_name = _("One-stop guidance")

    def ready(self) -> None:
        from apps.core.personal_data import register_personal_data
        from apps.employment.panels import register_employment_panel
        from apps.employment.signals import employment_changed

        from . import caching, personal_data, receivers
        from .panels import employment_checklist_panel

        # The checklists' cached procedures and policy are retired by every edit of them.
        caching.connect_receivers()
        register_employment_panel(employment_checklist_panel)
        register_personal_data(
            "guidance", exporter=personal_data.export_guidance, eraser=personal_data.erase_guidance
        )
        employment_changed.connect(receivers.refresh_hire_steps, dispatch_uid="guidance-steps")

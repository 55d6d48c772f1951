from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.employment"
    verbose_name = _("Employment register")

    def ready(self) -> None:
        from apps.core.personal_data import register_personal_data
        from apps.teachers.selectors import register_document_access

        from . import personal_data
        from .selectors import school_may_see_employee_document

        register_personal_data(
            "employment",
            exporter=personal_data.export_employment,
            eraser=personal_data.erase_employment,
        )
        register_document_access(school_may_see_employee_document)

        from apps.admission.availability import EMPLOYED, register_commitment

        from .selectors import employments_active

        # A teacher with an active employment is out of play elsewhere (admission decides).
        register_commitment(EMPLOYED, employments_active)

        from apps.teachers.selectors import register_record_hold

        from .selectors import employments_holding_records

        # The register is kept while employed and for some years after: deletion waits.
        register_record_hold("employment", employments_holding_records)

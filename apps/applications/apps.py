from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from apps.core.personal_data import register_personal_data
        from apps.teachers.selectors import register_document_access

        from . import personal_data
        from .selectors import school_may_see_application_document

        register_personal_data(
            "applications",
            exporter=personal_data.export_applications,
            eraser=personal_data.erase_applications,
        )
        register_document_access(school_may_see_application_document)

        from apps.admission.availability import OFFER_ACCEPTED, register_commitment

        from .selectors import applications_accepted

        # A teacher holding an accepted offer is out of play elsewhere (admission decides).
        register_commitment(OFFER_ACCEPTED, applications_accepted)

        from apps.vacancies.signals import vacancy_closed

        from .receivers import close_applications_of_closed_vacancy

        vacancy_closed.connect(close_applications_of_closed_vacancy, dispatch_uid="applications")

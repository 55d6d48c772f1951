from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VacanciesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.vacancies"
    verbose_name = _("Vacancies")

    def ready(self) -> None:
        from apps.credit.signals import school_restricted

        from .receivers import close_vacancies_of_restricted_school

        # A restriction on a school in force: its open vacancies close, applicants are told.
        school_restricted.connect(
            close_vacancies_of_restricted_school, dispatch_uid="vacancies-restricted-school"
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from apps.applications.signals import application_submitted
        from apps.core.personal_data import register_personal_data
        from apps.credit.signals import teacher_credit_changed
        from apps.teachers.signals import teacher_opted_in, teacher_verified
        from apps.vacancies.signals import vacancy_published

        from . import caching, personal_data, receivers

        register_personal_data(
            "matching", exporter=personal_data.export_matching, eraser=personal_data.erase_matching
        )

        vacancy_published.connect(
            receivers.shortlist_published_vacancy, dispatch_uid="matching-shortlist-vacancy"
        )
        teacher_verified.connect(
            receivers.shortlist_verified_teacher, dispatch_uid="matching-shortlist-teacher"
        )
        teacher_opted_in.connect(
            receivers.shortlist_verified_teacher, dispatch_uid="matching-shortlist-opted-in"
        )
        application_submitted.connect(
            receivers.close_suggestion_of_application, dispatch_uid="matching-applied"
        )
        # A teacher's star level or credit changed: re-rank (or drop) their shortlists.
        teacher_credit_changed.connect(
            receivers.shortlist_verified_teacher, dispatch_uid="matching-credit-changed"
        )
        # The teacher's cached pages follow every write to what they read.
        caching.receivers_connect()

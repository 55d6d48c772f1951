"""Reactions to announcements from lower layers (sent after commit): queue one shortlist."""

from apps.applications.models import Application
from apps.teachers.models import Teacher
from apps.vacancies.models import Vacancy

from .services import incremental_run_start, recommendations_mark_applied


def shortlist_published_vacancy(sender, *, vacancy_id: int, **kwargs) -> None:
    vacancy = Vacancy.objects.filter(pk=vacancy_id).first()
    if vacancy is not None:
        incremental_run_start(vacancy=vacancy)


def shortlist_verified_teacher(sender, *, teacher_id: int, **kwargs) -> None:
    teacher = Teacher.objects.filter(pk=teacher_id).first()
    if teacher is not None:
        incremental_run_start(teacher=teacher)


def close_suggestion_of_application(sender, *, application_id: int, **kwargs) -> None:
    application = Application.objects.select_related("teacher__user").filter(pk=application_id)
    if application := application.first():
        recommendations_mark_applied(application=application)

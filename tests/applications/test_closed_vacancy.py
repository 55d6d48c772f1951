"""Closing a vacancy closes its recruitment (review finding)."""

import pytest
from django.core.exceptions import ValidationError

from apps.applications.models import ApplicationStatus, RejectionReason
from apps.applications.services import offer_make
from apps.notifications.models import Notification
from apps.vacancies import services as vacancy_services
from apps.vacancies.models import VacancyStatus
from tests.applications.factories import ApplicationFactory, english_vacancy, offer_terms


def test_closing_a_vacancy_closes_its_open_applications_and_tells_the_teachers(
    liaison_a, school_a, django_capture_on_commit_callbacks
):
    vacancy = english_vacancy(school=school_a)
    application = ApplicationFactory(vacancy=vacancy, status=ApplicationStatus.SHORTLISTED)

    with django_capture_on_commit_callbacks(execute=True):
        vacancy_services.vacancy_close(actor=liaison_a, vacancy=vacancy)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert application.rejection_reason == RejectionReason.VACANCY_CLOSED
    assert Notification.objects.filter(recipient=application.teacher.user).exists()


def test_no_offer_on_a_closed_vacancy(liaison_a, school_a):
    vacancy = english_vacancy(school=school_a, status=VacancyStatus.CLOSED)
    application = ApplicationFactory(vacancy=vacancy, status=ApplicationStatus.SHORTLISTED)

    with pytest.raises(ValidationError, match="no longer open"):
        offer_make(actor=liaison_a, application=application, terms=offer_terms())

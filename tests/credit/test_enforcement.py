"""Every service that hires, matches or posts asks credit: restricted teachers and schools stop."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.applications import services as applications
from apps.applications.models import Application, ApplicationStatus
from apps.applications.services import SlotProposal
from apps.core.models import Subject, TeachingLevel
from apps.credit import services as credit
from apps.credit.models import Grounds, RecordKind, RecordStatus, Severity
from apps.credit.selectors import (
    school_may_hire,
    school_post_block,
    teacher_is_blacklisted,
    teacher_may_be_hired,
)
from apps.employment import services as employment
from apps.employment.models import Employment, ExchangeVisit
from apps.matching import services as matching
from apps.matching.loader import load_matching_data
from apps.matching.models import Recommendation
from apps.notifications.models import Notification
from apps.vacancies import services as vacancies
from apps.vacancies.models import VacancyStatus
from tests.applications.factories import (
    ApplicationFactory,
    accepted_application,
    english_vacancy,
    offer_terms,
)
from tests.credit.factories import restriction_create
from tests.schools.factories import PartnerSchoolFactory
from tests.teachers.factories import make_eligible_teacher
from tests.vacancies.factories import vacancy_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def vacancy(school_a, liaison_a):
    return english_vacancy(school=school_a, created_by=liaison_a)


@pytest.fixture
def teacher(db):
    return make_eligible_teacher()


def _restrict(**subject):
    return restriction_create(starts_on=timezone.localdate() - timedelta(days=1), **subject)


def test_selectors_answer_for_a_date(teacher, school_a):
    today = timezone.localdate()
    record = restriction_create(
        teacher=teacher,
        starts_on=today + timedelta(days=5),
        display_until=today + timedelta(days=9),
    )
    assert teacher_may_be_hired(teacher, on=today)
    assert not teacher_may_be_hired(teacher, on=today + timedelta(days=5))
    assert teacher_may_be_hired(teacher, on=today + timedelta(days=10))
    record.status = RecordStatus.NOTIFIED  # notified, not yet in force
    record.save()
    assert not teacher_is_blacklisted(teacher, on=today + timedelta(days=6))
    restriction_create(school=school_a, severity=Severity.MINOR, starts_on=today)
    assert school_post_block(school_a, on=today) == "blacklisted"
    assert not school_may_hire(school_a, on=today)
    assert school_may_hire(school_a, on=today - timedelta(days=1))


def test_a_restricted_teacher_cannot_apply(vacancy, teacher):
    _restrict(teacher=teacher)
    with pytest.raises(ValidationError, match="credit restriction"):
        applications.application_apply(actor=teacher.user, vacancy=vacancy)
    assert not Application.objects.exists()


def test_a_restricted_teacher_cannot_be_shortlisted(vacancy, teacher, liaison_a):
    application = ApplicationFactory(vacancy=vacancy, teacher=teacher)
    _restrict(teacher=teacher)
    with pytest.raises(ValidationError, match="credit restriction"):
        applications.application_shortlist(actor=liaison_a, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_restricted_teacher_cannot_be_offered(vacancy, teacher, liaison_a):
    application = ApplicationFactory(
        vacancy=vacancy, teacher=teacher, status=ApplicationStatus.SHORTLISTED
    )
    _restrict(teacher=teacher)
    with pytest.raises(ValidationError, match="credit restriction"):
        applications.offer_make(actor=liaison_a, application=application, terms=offer_terms())
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SHORTLISTED


def test_a_restricted_teacher_gets_no_interview(vacancy, teacher, liaison_a):
    application = ApplicationFactory(
        vacancy=vacancy, teacher=teacher, status=ApplicationStatus.SHORTLISTED
    )
    _restrict(teacher=teacher)
    slot = SlotProposal(
        starts_at=timezone.now() + timedelta(days=3), mode="on_site", location="Room 101"
    )
    with pytest.raises(ValidationError, match="credit restriction"):
        applications.interview_propose(actor=liaison_a, application=application, slots=[slot])
    assert not application.interview_slots.exists()


def test_a_restricted_teacher_cannot_be_hired(vacancy, liaison_a):
    application = accepted_application(vacancy)
    _restrict(teacher=application.teacher)
    with pytest.raises(ValidationError, match="credit restriction"):
        employment.employment_hire(actor=liaison_a, application=application)
    assert not Employment.objects.exists()


def test_a_restricted_school_cannot_hire(vacancy, liaison_a):
    application = accepted_application(vacancy)
    _restrict(school=vacancy.school)
    with pytest.raises(ValidationError, match="credit restriction"):
        employment.employment_hire(actor=liaison_a, application=application)
    assert not Employment.objects.exists()


def test_a_restricted_school_cannot_post_a_vacancy(liaison_a, school_a):
    _restrict(school=school_a)
    with pytest.raises(ValidationError, match="credit restriction"):
        vacancies.vacancy_create(
            actor=liaison_a,
            school=school_a,
            values=vacancy_values(),
            subjects=[Subject.objects.get(code="oral_english")],
            levels=[TeachingLevel.objects.get(code="primary")],
        )


def test_a_restricted_school_cannot_register_an_exchange_visit(liaison_a, school_a):
    _restrict(school=school_a)
    with pytest.raises(ValidationError, match="credit restriction"):
        employment.exchange_visit_register(
            actor=liaison_a,
            partner_school=PartnerSchoolFactory(school=school_a),
            visitor_name="Tom Baker",
            nationality="GB",
            passport_number="AB1234567",
            arrival=date(2027, 1, 1),
            departure=date(2027, 2, 1),
            purpose="Sister-school exchange",
        )
    assert not ExchangeVisit.objects.exists()


def test_a_restricted_teacher_is_not_loaded_for_matching_nor_invited(
    vacancy, teacher, liaison_a, center_user
):
    other = make_eligible_teacher()
    run = matching.match_run_start(actor=center_user, queue=False)
    run = matching.match_run_execute(run_id=run.pk)
    suggestion = run.suggestions.get(teacher=teacher, vacancy=vacancy)
    matching.recommendations_push(actor=center_user, run=run, suggestion_ids=[suggestion.pk])
    recommendation = Recommendation.objects.get(teacher=teacher, vacancy=vacancy)
    _restrict(teacher=teacher)
    assert teacher.pk not in load_matching_data().teacher_ids.tolist()
    assert other.pk in load_matching_data().teacher_ids.tolist()
    with pytest.raises(ValidationError):
        matching.recommendation_invite(actor=liaison_a, recommendation=recommendation)


def test_a_school_restriction_in_force_closes_its_vacancies_and_tells_applicants(
    vacancy,
    teacher,
    liaison_a,
    center_user,
    second_center_user,
    django_capture_on_commit_callbacks,
):
    application = ApplicationFactory(vacancy=vacancy, teacher=teacher)
    today = timezone.localdate()
    record = credit.credit_record_propose(
        actor=center_user,
        school=vacancy.school,
        kind=RecordKind.NEGATIVE,
        severity=Severity.GENERAL,
        grounds=Grounds.ILLEGAL_HIRING,
        facts="Employed two foreign teachers without work permits in 2026.",
        determining_unit="Hangzhou Municipal Bureau of Science and Technology",
        decision_date=today,
        starts_on=today,
    )
    record = credit.credit_record_approve(actor=second_center_user, record=record)
    assert record.status == RecordStatus.NOTIFIED
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.PUBLISHED  # notified only: not in force yet
    with django_capture_on_commit_callbacks(execute=True):
        credit.credit_records_sweep(on=record.objection_deadline + timedelta(days=1))
    vacancy.refresh_from_db()
    application.refresh_from_db()
    assert vacancy.status == VacancyStatus.CLOSED
    assert application.status != ApplicationStatus.SUBMITTED
    assert Notification.objects.filter(recipient=teacher.user).exists()
    assert Notification.objects.filter(recipient=liaison_a, kind="vacancy").exists()

"""A small hand-counted city for the statistics, dashboard and report tests.

Reference day 30 June 2026; the counts each test expects are worked out in the comments.
"""

from datetime import date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from apps.applications.models import Application, ApplicationStatus
from apps.core.models import District, SchoolType
from apps.credit.models import Severity, TeacherStarLevel
from apps.employment.models import (
    AgreementStatus,
    ChangeKind,
    EmploymentChange,
    ExchangeVisit,
    InternshipAgreement,
)
from apps.evaluations.models import Evaluation, EvaluationRound, EvaluationStatus
from apps.matching.models import Recommendation
from apps.schools.models import Ownership, VerificationStatus
from apps.teachers.models import Category
from apps.vacancies.models import Vacancy, VacancyStatus
from tests.credit.factories import commendation_create, restriction_create
from tests.evaluations.factories import make_employment
from tests.schools.factories import PartnerSchoolFactory, SchoolFactory
from tests.teachers.factories import TeacherFactory
from tests.vacancies.factories import VacancyFactory

TODAY = date(2026, 6, 30)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=SHANGHAI)


def _vacancy(school, status, published: date | None, closed: date | None = None, **kwargs):
    vacancy = VacancyFactory(school=school, status=status, **kwargs)
    Vacancy.objects.filter(pk=vacancy.pk).update(
        published_at=at(published) if published else None,
        closed_at=at(closed) if closed else None,
    )
    return vacancy


@pytest.fixture
def city(db):
    """Four verified schools (two per district), one pending; six teachers; a year of events."""
    xihu = District.objects.get(code="330106")
    gongshu = District.objects.get(code="330105")
    junior = SchoolType.objects.get(code="junior_secondary")
    xa = SchoolFactory(name_en="Xihu A", name_zh_hans="西湖甲校")  # primary, public
    xb = SchoolFactory(
        name_en="Xihu B", name_zh_hans="西湖乙校", school_type=junior, ownership=Ownership.PRIVATE
    )
    SchoolFactory(name_en="Xihu C", verification_status=VerificationStatus.PENDING)
    ga = SchoolFactory(name_en="Gongshu A", name_zh_hans="拱墅甲校", district=gongshu)
    gb = SchoolFactory(name_en="Gongshu B", name_zh_hans="拱墅乙校", district=gongshu)

    t1 = TeacherFactory(nationality="GB", gender="female", date_of_birth=date(1990, 5, 17))
    t2 = TeacherFactory(
        nationality="US", gender="male", date_of_birth=date(2002, 1, 1), category=Category.INTERN
    )
    t3 = TeacherFactory(
        nationality="ZA",
        gender="male",
        date_of_birth=date(1960, 1, 1),
        category=Category.FOREIGN_GRADUATE,
    )
    t4 = TeacherFactory(nationality="GB", gender="female")
    # Turns 50 on the reference day: counted in the 50–59 band.
    t5 = TeacherFactory(
        nationality="CA",
        gender="female",
        date_of_birth=date(1976, 6, 30),
        category=Category.RETIRED,
    )
    t6 = TeacherFactory(nationality="GB", gender="female")

    e1 = make_employment(xa, teacher=t1, start=date(2025, 9, 1), end=date(2026, 8, 31))
    e2 = make_employment(xa, teacher=t2, start=date(2026, 2, 1), end=date(2026, 7, 31))
    e2.is_intern = True
    e2.save(update_fields=["is_intern"])
    e3 = make_employment(ga, teacher=t3, start=date(2024, 9, 1), end=date(2025, 8, 31))
    make_employment(
        xb, teacher=t4, start=date(2025, 1, 1), end=date(2026, 1, 31), ended_on=date(2026, 3, 15)
    )
    make_employment(
        xb, teacher=t5, start=date(2026, 3, 1), end=date(2027, 2, 28), members=((ga, 8),)
    )
    make_employment(xa, teacher=t6, start=date(2026, 9, 1), end=date(2027, 8, 31))

    def change(employment, kind, effective_on, **values):
        return EmploymentChange.objects.create(
            employment=employment, kind=kind, effective_on=effective_on, **values
        )

    change(e3, ChangeKind.RENEWAL, date(2025, 7, 1), new_contract_end=date(2026, 8, 31))
    change(e1, ChangeKind.WORK_PERMIT, date(2025, 10, 1), permit_number="W1",
           expires_on=date(2026, 7, 10))  # fmt: skip
    change(e1, ChangeKind.WORK_PERMIT, date(2026, 6, 1), permit_number="W2",
           expires_on=date(2027, 6, 1))  # fmt: skip
    change(e3, ChangeKind.WORK_PERMIT, date(2024, 10, 1), permit_number="W3",
           expires_on=date(2026, 8, 15))  # fmt: skip
    change(e2, ChangeKind.RESIDENCE_PERMIT, date(2026, 2, 15), permit_number="R1",
           expires_on=date(2026, 7, 20))  # fmt: skip

    v1 = _vacancy(xa, VacancyStatus.FILLED, date(2026, 1, 10), date(2026, 2, 9))  # 30 days
    _vacancy(xa, VacancyStatus.FILLED, date(2026, 3, 1), date(2026, 3, 11))  # 10 days
    _vacancy(ga, VacancyStatus.FILLED, date(2026, 2, 1), date(2026, 4, 2))  # 60 days
    _vacancy(xb, VacancyStatus.EXPIRED, date(2026, 4, 1), date(2026, 5, 1))
    v5 = _vacancy(xa, VacancyStatus.PUBLISHED, date(2026, 5, 1), posts=2)
    _vacancy(ga, VacancyStatus.PUBLISHED, date(2025, 11, 1))
    _vacancy(xa, VacancyStatus.DRAFT, None)

    a1 = Application.objects.create(vacancy=v1, teacher=t1, status=ApplicationStatus.HIRED)
    Application.objects.create(
        vacancy=v1,
        teacher=t4,
        status=ApplicationStatus.REJECTED,
        rejection_reason="other_candidate",
    )
    Application.objects.create(vacancy=v5, teacher=t6, status=ApplicationStatus.SUBMITTED)
    for teacher, vacancy, application, pushed in (
        (t1, v1, a1, date(2026, 1, 15)),
        (t6, v5, None, date(2026, 5, 5)),
        (t4, v5, None, date(2025, 12, 1)),
    ):
        rec = Recommendation.objects.create(
            teacher=teacher, vacancy=vacancy, application=application, score=80
        )
        Recommendation.objects.filter(pk=rec.pk).update(pushed_at=at(pushed))

    partner_1 = PartnerSchoolFactory(school=xa, name="Leeds Grammar", country="GB")
    partner_2 = PartnerSchoolFactory(school=ga, name="Ohio Prep", country="US")
    for school, partner, nationality, arrival in (
        (xa, partner_1, "GB", date(2026, 3, 1)),
        (xa, partner_1, "GB", date(2026, 5, 1)),
        (ga, partner_2, "US", date(2026, 4, 1)),
        (xa, partner_1, "GB", date(2025, 4, 1)),
    ):
        ExchangeVisit.objects.create(
            school=school,
            partner_school=partner,
            visitor_name="Visitor",
            nationality=nationality,
            passport_number="X1234567",
            arrival=arrival,
            departure=date(arrival.year, arrival.month + 1, 1),
            purpose="Exchange",
        )
    agreement = InternshipAgreement.objects.create(
        teacher=t2,
        school=xa,
        university="Ohio State",
        starts_on=date(2026, 2, 1),
        ends_on=date(2026, 7, 31),
        file="employment/agreement.pdf",
        status=AgreementStatus.APPROVED,
    )
    InternshipAgreement.objects.filter(pk=agreement.pk).update(created_at=at(date(2026, 1, 20)))

    q1 = EvaluationRound.objects.create(
        quarter="2026Q1", starts_on=date(2026, 1, 1), ends_on=date(2026, 3, 31),
        deadline=date(2026, 4, 30),
    )  # fmt: skip
    q2 = EvaluationRound.objects.create(
        quarter="2026Q2", starts_on=date(2026, 4, 1), ends_on=date(2026, 6, 29),
        deadline=date(2026, 7, 31),
    )  # fmt: skip
    submitted = {"status": EvaluationStatus.SUBMITTED, "submitted_at": at(date(2026, 4, 10))}
    Evaluation.objects.create(
        round=q1, employment=e1, school=xa, teacher=t1, law_compliance_score=4,
        teaching_duties_score=5, daily_conduct_score=4, **submitted,
    )  # fmt: skip
    Evaluation.objects.create(
        round=q1, employment=e3, school=ga, teacher=t3, law_compliance_score=2,
        teaching_duties_score=3, daily_conduct_score=4, serious_incident=True,
        incident_description="Fight", **submitted,
    )  # fmt: skip
    Evaluation.objects.create(round=q1, employment=e2, school=xa, teacher=t2)  # late
    Evaluation.objects.create(round=q2, employment=e1, school=xa, teacher=t1)  # open

    TeacherStarLevel.objects.create(teacher=t1, level=4)
    TeacherStarLevel.objects.create(teacher=t3, level=2)
    TeacherStarLevel.objects.create(teacher=t2, level=None)

    commendation_create(teacher=t1, starts_on=date(2026, 1, 1))
    restriction_create(
        teacher=t3, severity=Severity.GENERAL, starts_on=date(2026, 5, 1),
        display_until=date(2027, 4, 30),
    )  # fmt: skip
    restriction_create(
        school=gb, severity=Severity.MINOR, starts_on=date(2026, 6, 1),
        display_until=date(2026, 8, 31),
    )  # fmt: skip
    restriction_create(  # ended before the reference day: not counted
        school=xa, severity=Severity.MINOR, starts_on=date(2026, 1, 1),
        display_until=date(2026, 3, 31),
    )  # fmt: skip
    return SimpleNamespace(
        xihu=xihu, gongshu=gongshu, xa=xa, xb=xb, ga=ga, gb=gb, today=TODAY, year=2026
    )

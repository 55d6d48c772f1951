"""What the center verified cannot change behind its back (review finding, session 1)."""

from datetime import date

from apps.teachers.models import Category, TeacherStatus
from apps.teachers.services import teacher_update
from apps.teachers.services.profile import teacher_certificates_set, teacher_experiences_set
from tests.teachers.factories import make_eligible_teacher


def test_changing_category_sends_a_verified_profile_back_to_review(db):
    teacher = make_eligible_teacher()

    teacher_update(
        actor=teacher.user,
        teacher=teacher,
        values={
            "category": Category.INTERN,
            "intern_university": "Zhejiang University",
            "intern_expected_graduation": date(2031, 6, 30),
        },
    )

    teacher.refresh_from_db()
    assert teacher.status == TeacherStatus.PENDING


def test_new_experience_sends_a_verified_profile_back_to_review(db):
    teacher = make_eligible_teacher()

    teacher_experiences_set(
        actor=teacher.user,
        teacher=teacher,
        entries=[
            {
                "school": "Made-up Academy",
                "country": "GB",
                "started_on": date(2015, 9, 1),
                "ended_on": date(2020, 7, 1),
            }
        ],
    )

    teacher.refresh_from_db()
    assert teacher.status == TeacherStatus.PENDING


def test_resaving_the_same_experience_keeps_the_profile_verified(db):
    teacher = make_eligible_teacher()
    same = [
        {
            "school": e.school,
            "country": e.country,
            "started_on": e.started_on,
            "ended_on": e.ended_on,
        }
        for e in teacher.experiences.all()
    ]

    teacher_experiences_set(actor=teacher.user, teacher=teacher, entries=same)

    teacher.refresh_from_db()
    assert teacher.status == TeacherStatus.VERIFIED


def test_a_new_certificate_sends_a_verified_profile_back_to_review(db):
    teacher = make_eligible_teacher()

    teacher_certificates_set(
        actor=teacher.user,
        teacher=teacher,
        entries=[{"kind": "tefl", "hours": 120, "issuing_country": "GB", "year": 2019}],
    )

    teacher.refresh_from_db()
    assert teacher.status == TeacherStatus.PENDING

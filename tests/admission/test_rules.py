from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.admission.rules import RULE_CODES
from apps.admission.selectors import admission_for_teacher, evaluate_admission
from apps.core.models import Subject
from apps.teachers.models import (
    Category,
    DegreeLevel,
    DocumentKind,
    DocumentStatus,
    TeacherStatus,
    TeachingCertificate,
)
from tests.credit.factories import restriction_create
from tests.teachers.factories import add_document, make_eligible_teacher

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def failed(teacher, **kwargs):
    return evaluate_admission([teacher], on=TODAY, **kwargs)[teacher.pk].failed_codes


def test_eligible_teacher_passes_every_rule():
    teacher = make_eligible_teacher(on=TODAY)
    result = evaluate_admission([teacher], on=TODAY)[teacher.pk]
    assert result.eligible
    assert [r.code for r in result.rules] == RULE_CODES
    assert all(r.text for r in result.rules)


def test_rule_codes_match_the_matching_engine_where_they_correspond():
    from apps.matching.engine.rules import RULE_CODES as ENGINE_CODES

    assert {"blacklisted", "native_language"} <= set(ENGINE_CODES) & set(RULE_CODES)


@pytest.mark.parametrize(
    "status", [TeacherStatus.DRAFT, TeacherStatus.PENDING, TeacherStatus.REJECTED]
)
def test_unverified_profile_fails(status):
    teacher = make_eligible_teacher(on=TODAY)
    teacher.status = status
    teacher.save()
    assert failed(teacher) == ["verified"]
    rule = admission_for_teacher(teacher, on=TODAY).failed[0]
    assert rule.fix_url.endswith("/teacher/profile/")


def test_blacklisted_teacher_fails_only_while_the_entry_is_in_force(center_user):
    teacher = make_eligible_teacher(on=TODAY)
    restriction_create(
        teacher=teacher,
        reason="Fraud",
        starts_on=TODAY - timedelta(days=10),
        ends_on=TODAY + timedelta(days=10),
        created_by=center_user,
    )
    assert failed(teacher) == ["blacklisted"]
    assert evaluate_admission([teacher], on=TODAY + timedelta(days=11))[teacher.pk].eligible
    message = admission_for_teacher(teacher, on=TODAY).failed[0].text
    assert "credit restriction" in message


def test_passport_must_be_valid_past_the_given_date():
    teacher = make_eligible_teacher(on=TODAY)
    passport = teacher.documents.get(kind=DocumentKind.PASSPORT)
    assert failed(teacher, passport_valid_until=passport.expires_on) == ["passport_valid"]
    assert failed(teacher, passport_valid_until=passport.expires_on - timedelta(days=1)) == []


def test_missing_or_unverified_passport_fails_with_its_reason():
    teacher = make_eligible_teacher(on=TODAY)
    teacher.documents.filter(kind=DocumentKind.PASSPORT).delete()
    result = admission_for_teacher(teacher, on=TODAY)
    assert result.failed_codes == ["passport_valid"]
    assert "Upload your Passport" in result.failed[0].text
    assert "kind=passport" in result.failed[0].fix_url
    add_document(
        teacher,
        DocumentKind.PASSPORT,
        status=DocumentStatus.UPLOADED,
        expires_on=TODAY + timedelta(days=900),
    )
    assert (
        "waiting for the service center" in admission_for_teacher(teacher, on=TODAY).failed[0].text
    )


def test_degree_rule_by_category():
    teacher = make_eligible_teacher(on=TODAY)
    teacher.degree_level = DegreeLevel.ASSOCIATE
    teacher.save()
    assert failed(teacher) == ["degree"]
    teacher.category = Category.INTERN
    teacher.intern_university = "Zhejiang University"
    teacher.intern_expected_graduation = TODAY + timedelta(days=200)
    teacher.save()
    assert failed(teacher) == []
    teacher.intern_university = ""
    teacher.save()
    assert failed(teacher) == ["degree"]
    teacher.category = Category.CHINA_GRADUATE
    teacher.china_university = "Zhejiang University"
    teacher.china_degree_level = DegreeLevel.BACHELOR
    teacher.save()
    assert failed(teacher) == ["degree"]
    teacher.china_degree_level = DegreeLevel.MASTER
    teacher.save()
    assert failed(teacher) == []


def test_experience_or_certificate_for_categories_1_to_3():
    teacher = make_eligible_teacher(on=TODAY)
    teacher.experiences.all().delete()
    assert failed(teacher) == ["experience"]
    message = admission_for_teacher(teacher, on=TODAY).failed[0].text
    assert "2 years" in message and "120 hours" in message
    cert = TeachingCertificate.objects.create(teacher=teacher, kind="tefl", hours=100)
    assert failed(teacher) == ["experience"]
    cert.hours = 120
    cert.save()
    assert failed(teacher) == []
    cert.kind, cert.hours = "licence", None
    cert.save()
    assert failed(teacher) == []
    cert.delete()
    teacher.degree_is_education = True
    teacher.save()
    assert failed(teacher) == []
    teacher.degree_is_education = False
    teacher.category = Category.INTERN
    teacher.intern_university = "ZJU"
    teacher.save()
    assert failed(teacher) == []


def test_criminal_record_must_be_within_validity():
    teacher = make_eligible_teacher(on=TODAY)
    record = teacher.documents.get(kind=DocumentKind.CRIMINAL_RECORD)
    record.issued_on = TODAY - timedelta(days=200)  # policy: 6 months
    record.save()
    result = admission_for_teacher(teacher, on=TODAY)
    assert result.failed_codes == ["criminal_record"]
    assert "6 months" in result.failed[0].text
    record.delete()
    assert failed(teacher) == ["criminal_record"]


def test_health_check_on_file():
    teacher = make_eligible_teacher(on=TODAY)
    teacher.documents.filter(kind=DocumentKind.HEALTH_CHECK).update(
        status=DocumentStatus.REJECTED, rejection_reason="unreadable"
    )
    assert failed(teacher) == ["health_check"]


def test_native_language_rule():
    teacher = make_eligible_teacher(on=TODAY, nationality="DE")
    result = admission_for_teacher(teacher, on=TODAY)
    assert result.failed_codes == ["native_language"]
    assert "English" in result.failed[0].text
    # A non-native language next to a teachable subject is only excluded, as in the engine.
    teacher.subjects.set(Subject.objects.filter(code__in=["english", "mathematics"]))
    result = admission_for_teacher(teacher, on=TODAY)
    assert result.eligible
    assert "not be offered English" in result.rules[RULE_CODES.index("native_language")].text
    teacher.subjects.set(Subject.objects.filter(code__in=["german"]))
    assert failed(teacher) == []
    teacher.subjects.clear()
    assert failed(teacher) == ["native_language"]
    for country in ["US", "GB", "CA", "AU", "NZ", "IE", "ZA"]:
        teacher.nationality = country
        teacher.save()
        teacher.subjects.set(Subject.objects.filter(code="english"))
        assert failed(teacher) == [], country


def test_age_limit_from_policy():
    teacher = make_eligible_teacher(on=TODAY, date_of_birth=date(1966, 6, 1))
    assert failed(teacher) == []  # exactly 60
    teacher.date_of_birth = date(1965, 5, 31)
    teacher.save()
    assert failed(teacher) == ["age"]
    from apps.core.selectors import policy_settings_get

    policy = policy_settings_get()
    policy.age_limit = 65
    policy.save()
    assert failed(teacher) == []


def test_bulk_evaluation_uses_a_fixed_number_of_queries(django_assert_num_queries):
    one = [make_eligible_teacher(on=TODAY)]
    many = one + [make_eligible_teacher(on=TODAY) for _ in range(19)]
    from apps.core.selectors import policy_settings_get

    policy_settings_get()
    # The first evaluation also reads the subject catalogue, which is cached from then on.
    with django_assert_num_queries(7):
        evaluate_admission(one, on=TODAY)
    with django_assert_num_queries(6) as one_run:
        evaluate_admission(one, on=TODAY)
    with django_assert_num_queries(len(one_run.captured_queries)):
        results = evaluate_admission(many, on=TODAY)
    assert len(results) == 20 and all(r.eligible for r in results.values())


def test_bulk_evaluation_accepts_ids_and_empty():
    teacher = make_eligible_teacher(on=timezone.localdate())
    assert evaluate_admission([], on=TODAY) == {}
    assert teacher.pk in evaluate_admission([teacher.pk], on=TODAY)


def test_bulk_evaluation_of_every_category_reads_no_field_it_did_not_load(
    django_assert_num_queries,
):
    # Each rule branch that reads a teacher field: a field left out of the query would cost
    # one more query per teacher.
    extra = {
        Category.INTERN: {"intern_university": "Zhejiang University"},
        Category.CHINA_GRADUATE: {"china_degree_level": DegreeLevel.MASTER},
    }
    teachers = [
        make_eligible_teacher(on=TODAY, category=category, **extra.get(category, {}))
        for category in Category
    ]
    short = make_eligible_teacher(on=TODAY)
    short.experiences.update(started_on=TODAY - timedelta(days=100))
    unlisted = make_eligible_teacher(on=TODAY, date_of_birth=None)
    unlisted.subjects.clear()
    from apps.core.selectors import policy_settings_get

    policy_settings_get()
    with django_assert_num_queries(7):
        results = evaluate_admission([*teachers, short, unlisted], on=TODAY)
    assert results[short.pk].failed_codes == ["experience"]
    assert results[unlisted.pk].failed_codes == ["native_language", "age"]

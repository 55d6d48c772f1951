from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditEvent, Language, Subject, TeachingLevel
from apps.notifications.models import Notification
from apps.teachers.experience import experience_years
from apps.teachers.models import Teacher, TeacherStatus
from apps.teachers.services import (
    teacher_reject,
    teacher_submit_for_review,
    teacher_update,
    teacher_verify,
)
from tests.accounts.factories import TeacherUserFactory
from tests.teachers.factories import TeacherFactory, make_eligible_teacher

pytestmark = pytest.mark.django_db


def test_experience_years_count_overlaps_once():
    on = date(2026, 1, 1)
    periods = [
        (date(2020, 1, 1), date(2022, 1, 1)),
        (date(2021, 1, 1), date(2023, 1, 1)),  # overlaps one year
        (date(2024, 1, 1), None),  # current job
    ]
    assert experience_years(periods, on=on) == pytest.approx(5.0, abs=0.01)
    assert experience_years([], on=on) == 0
    assert experience_years([(date(2027, 1, 1), None)], on=on) == 0


def test_key_field_change_sends_a_verified_teacher_back_to_review(center_user):
    teacher = make_eligible_teacher()
    teacher_update(actor=teacher.user, teacher=teacher, values={"bio": "Hello"})
    teacher.refresh_from_db()
    assert teacher.status == TeacherStatus.VERIFIED
    for field, value in [
        ("legal_name", "New Name"),
        ("passport_number", "X999"),
        ("degree_level", 3),
    ]:
        teacher.status, teacher.verified_at = TeacherStatus.VERIFIED, timezone.now()
        teacher.save()
        teacher_update(actor=center_user, teacher=teacher, values={field: value})
        teacher.refresh_from_db()
        assert teacher.status == TeacherStatus.PENDING, field
    event = AuditEvent.objects.filter(action="teacher.update").first()
    assert "X999" not in str(event.before) + str(event.after)


def test_update_rejects_impossible_dates_and_others(teacher):
    with pytest.raises(ValidationError) as exc:
        teacher_update(
            actor=teacher.user,
            teacher=teacher,
            values={"date_of_birth": timezone.localdate() + timedelta(days=1)},
        )
    assert "future" in exc.value.message_dict["date_of_birth"][0]
    with pytest.raises(ValidationError) as exc:
        teacher_update(
            actor=teacher.user,
            teacher=teacher,
            values={"date_of_birth": date(2000, 1, 1), "degree_year": 2010},
        )
    assert "15 years old" in exc.value.message_dict["degree_year"][0]
    with pytest.raises(PermissionDenied):
        teacher_update(actor=TeacherUserFactory(), teacher=teacher, values={"bio": "x"})


def test_submit_requires_steps_and_documents(teacher):
    with pytest.raises(ValidationError, match="Before submitting"):
        teacher_submit_for_review(actor=teacher.user, teacher=teacher)


def test_verify_and_reject_notify_in_the_teachers_language(center_user):
    teacher = make_eligible_teacher()
    teacher.status = TeacherStatus.PENDING
    teacher.save()
    teacher.user.language = "zh-hans"
    teacher.user.save()
    teacher_reject(actor=center_user, teacher=teacher, reason="mismatch", note="")
    teacher.refresh_from_db()
    assert teacher.status == TeacherStatus.REJECTED
    note = Notification.objects.get(kind="teacher.rejected")
    assert note.language == "zh-hans" and note.recipient == teacher.user
    with pytest.raises(ValidationError):
        teacher_verify(actor=center_user, teacher=teacher)  # rejected → verified not allowed
    teacher.status = TeacherStatus.PENDING
    teacher.save()
    teacher_verify(actor=center_user, teacher=teacher)
    teacher.refresh_from_db()
    assert (teacher.status, teacher.verified_by) == (TeacherStatus.VERIFIED, center_user)
    assert AuditEvent.objects.filter(action="teacher.verify", actor=center_user).exists()


def test_reject_other_needs_a_note_and_only_center(center_user):
    teacher = TeacherFactory(status=TeacherStatus.PENDING)
    with pytest.raises(ValidationError):
        teacher_reject(actor=center_user, teacher=teacher, reason="other", note=" ")
    with pytest.raises(PermissionDenied):
        teacher_reject(actor=teacher.user, teacher=teacher, reason="mismatch")


# --- the multi-step form ------------------------------------------------------------------


def step_url(slug):
    return reverse("teachers:profile_step", args=[slug])


def test_steps_save_one_at_a_time_and_bad_input_keeps_what_was_saved(client, teacher_user):
    client.force_login(teacher_user)
    assert client.get(reverse("teachers:profile")).url == step_url("personal")
    personal = {
        "legal_name": "Emma Jane Clarke",
        "date_of_birth": "1990-05-17",
        "gender": "female",
        "nationality": "GB",
        "native_languages": [Language.objects.get(code="en").pk],
        "chinese_level": "hsk2",
        "passport_number": "E1234567",
        "current_country": "GB",
        "current_city": "Leeds",
        "timezone": "Europe/London",
    }
    response = client.post(step_url("personal"), personal)
    assert response.status_code == 302 and response.url == step_url("category")
    teacher = Teacher.objects.get(user=teacher_user)
    assert teacher.completed_steps == ["personal"]

    future = {**personal, "date_of_birth": (timezone.localdate() + timedelta(days=3)).isoformat()}
    response = client.post(step_url("personal"), future)
    assert response.status_code == 200
    assert "future" in response.context["form"].errors["date_of_birth"][0]
    assert response.context["form"]["legal_name"].value() == "Emma Jane Clarke"
    teacher.refresh_from_db()
    assert teacher.date_of_birth == date(1990, 5, 17)

    response = client.post(step_url("category"), {"category": 1})
    assert response.url == step_url("education")

    education = {
        "degree_level": 2,
        "degree_field": "English",
        "degree_university": "Leeds",
        "degree_country": "GB",
        "degree_year": 2001,  # before she was 15
        "certificates-TOTAL_FORMS": 1,
        "certificates-INITIAL_FORMS": 0,
        "certificates-0-kind": "tefl",
        "certificates-0-hours": 120,
    }
    response = client.post(step_url("education"), education)
    assert response.status_code == 200
    assert "15 years old" in response.context["form"].errors["degree_year"][0]
    response = client.post(step_url("education"), {**education, "degree_year": 2012})
    assert response.url == step_url("experience")
    assert teacher.certificates.get().hours == 120

    experience = {
        "experience-TOTAL_FORMS": 2,
        "experience-INITIAL_FORMS": 0,
        "experience-0-school": "Leeds Primary",
        "experience-0-country": "GB",
        "experience-0-started_on": "2020-01-01",
        "experience-0-ended_on": "2019-01-01",
    }
    response = client.post(step_url("experience"), experience)
    assert response.status_code == 200
    assert "before the start" in str(response.context["formset"].errors)
    experience["experience-0-ended_on"] = "2022-01-01"
    assert client.post(step_url("experience"), experience).url == step_url("preferences")
    assert teacher.experiences.count() == 1

    preferences = {
        "subjects": [Subject.objects.get(code="english").pk],
        "levels": [TeachingLevel.objects.get(code="primary").pk],
        "earliest_start": "2026-09-01",
        "salary_min": 15000,
        "salary_max": 12000,
        "open_to_suggestions": "on",
    }
    response = client.post(step_url("preferences"), preferences)
    assert "below the lower end" in response.context["form"].errors["salary_max"][0]
    preferences["salary_max"] = 20000
    assert client.post(step_url("preferences"), preferences).url == reverse("teachers:documents")
    teacher.refresh_from_db()
    assert teacher.completed_steps == [
        "personal",
        "category",
        "education",
        "experience",
        "preferences",
    ]
    assert teacher.passport_number == "E1234567"


def test_intern_needs_university(client, teacher_user, teacher):
    client.force_login(teacher_user)
    response = client.post(step_url("category"), {"category": 4})
    assert response.status_code == 200
    assert response.context["form"].errors["intern_university"]


def test_steps_are_teacher_only(client, school_user):
    client.force_login(school_user)
    assert client.get(step_url("personal")).status_code == 403
    assert client.get(reverse("teachers:documents")).status_code == 403


def test_dashboard_checklist_links_to_fixes(
    client, teacher_user, teacher, django_assert_max_num_queries
):
    client.force_login(teacher_user)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("dashboards:teacher"))
    failed = response.context["admission"].failed_codes
    assert "verified" in failed and "passport_valid" in failed
    html = response.content.decode()
    assert "What is missing before you can be matched" in html
    assert reverse("teachers:documents") + "?kind=passport" in html


def test_dashboard_shows_ready_to_be_matched(client):
    teacher = make_eligible_teacher()
    client.force_login(teacher.user)
    response = client.get(reverse("dashboards:teacher"))
    assert response.context["admission"].eligible
    assert "Ready to be matched" in response.content.decode()


def test_an_untouched_certificate_row_adds_nothing(client, teacher_user, teacher):
    client.force_login(teacher_user)
    response = client.post(
        step_url("education"),
        {
            "degree_level": 2,
            "degree_university": "Leeds",
            "degree_year": 2012,
            "certificates-TOTAL_FORMS": 1,
            "certificates-INITIAL_FORMS": 0,
            "certificates-0-kind": "",
        },
    )
    assert response.status_code == 302
    assert not teacher.certificates.exists()


def test_verify_and_back_to_review_are_announced_after_commit(
    center_user, django_capture_on_commit_callbacks
):
    from apps.teachers.signals import teacher_needs_review, teacher_verified

    heard = []
    verified = lambda sender, teacher_id, **kw: heard.append(("verified", teacher_id))  # noqa: E731
    review = lambda sender, teacher_id, **kw: heard.append(("review", teacher_id))  # noqa: E731
    teacher_verified.connect(verified)
    teacher_needs_review.connect(review)
    try:
        teacher = TeacherFactory(status=TeacherStatus.PENDING)
        with django_capture_on_commit_callbacks(execute=True):
            teacher_verify(actor=center_user, teacher=teacher)
        with django_capture_on_commit_callbacks(execute=True):
            teacher_update(actor=center_user, teacher=teacher, values={"legal_name": "Other"})
    finally:
        teacher_verified.disconnect(verified)
        teacher_needs_review.disconnect(review)
    assert heard == [("verified", teacher.pk), ("review", teacher.pk)]


def test_the_education_step_saves_the_degree_and_certificates_together_or_not_at_all():
    from apps.teachers.services import teacher_education_save

    teacher = TeacherFactory(
        degree_field="History", degree_year=2010, completed_steps=["personal", "category"]
    )
    values = {"degree_field": "English", "degree_year": 2012}

    with pytest.raises(ValidationError):
        teacher_education_save(
            actor=teacher.user,
            teacher=teacher,
            values=values,
            certificates=[{"kind": "tefl", "hours": 9_999}],  # over the 5000-hour limit
        )

    teacher.refresh_from_db()
    assert (teacher.degree_field, teacher.degree_year) == ("History", 2010)
    assert "education" not in teacher.completed_steps
    assert not teacher.certificates.exists()
    assert not AuditEvent.objects.filter(action="teacher.update", target_id=teacher.pk).exists()

    teacher_education_save(
        actor=teacher.user,
        teacher=teacher,
        values=values,
        certificates=[{"kind": "tefl", "hours": 120}],
    )

    teacher.refresh_from_db()
    assert (teacher.degree_field, teacher.degree_year) == ("English", 2012)
    assert "education" in teacher.completed_steps
    assert teacher.certificates.get().hours == 120

"""The profile rules live in the service: the teacher's pages and admin show its errors."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.teachers.models import Category
from apps.teachers.services import teacher_experiences_set, teacher_update

pytestmark = pytest.mark.django_db


def step_url(slug):
    return reverse("teachers:profile_step", args=[slug])


def test_an_intern_needs_a_university_and_an_expected_graduation(teacher):
    with pytest.raises(ValidationError) as exc:
        teacher_update(actor=teacher.user, teacher=teacher, values={"category": Category.INTERN})

    assert exc.value.message_dict == {
        "intern_university": ["Interns: enter the university."],
        "intern_expected_graduation": ["Interns: enter the expected graduation."],
    }
    teacher.refresh_from_db()
    assert teacher.category is None


def test_a_china_graduate_needs_the_chinese_university_and_degree_level(teacher):
    with pytest.raises(ValidationError) as exc:
        teacher_update(
            actor=teacher.user, teacher=teacher, values={"category": Category.CHINA_GRADUATE}
        )

    assert exc.value.message_dict == {
        "china_university": ["Enter the Chinese university."],
        "china_degree_level": ["Enter the degree level."],
    }
    teacher_update(
        actor=teacher.user,
        teacher=teacher,
        values={
            "category": Category.CHINA_GRADUATE,
            "china_university": "Zhejiang University",
            "china_degree_level": 3,
        },
    )
    teacher.refresh_from_db()
    assert teacher.category == Category.CHINA_GRADUATE


def test_the_category_page_shows_the_services_errors_on_their_fields(client, teacher):
    client.force_login(teacher.user)

    response = client.post(step_url("category"), {"category": Category.INTERN})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["intern_university"] == ["Interns: enter the university."]
    assert errors["intern_expected_graduation"] == ["Interns: enter the expected graduation."]
    teacher.refresh_from_db()
    assert teacher.category is None


def test_experience_errors_name_the_row_and_show_on_its_field(client, teacher):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        teacher_experiences_set(
            actor=teacher.user,
            teacher=teacher,
            entries=[
                {"school": "A", "country": "GB", "started_on": date(2020, 1, 1)},
                {"school": "B", "country": "GB", "started_on": tomorrow},
            ],
        )
    assert exc.value.messages == ["The start cannot be in the future."]
    assert exc.value.error_list[0].params == {"row": 1, "field": "started_on"}

    client.force_login(teacher.user)
    response = client.post(
        step_url("experience"),
        {
            "experience-TOTAL_FORMS": 2,
            "experience-INITIAL_FORMS": 0,
            "experience-0-school": "Leeds Primary",
            "experience-0-country": "GB",
            "experience-0-started_on": "2020-01-01",
            "experience-1-school": "York Primary",
            "experience-1-country": "GB",
            "experience-1-started_on": "2021-01-01",
            "experience-1-ended_on": "2020-06-01",
        },
    )

    assert response.status_code == 200
    rows = response.context["formset"].forms
    assert rows[0].errors == {}
    assert rows[1].errors["ended_on"] == ["The end date is before the start date."]
    assert not teacher.experiences.exists()

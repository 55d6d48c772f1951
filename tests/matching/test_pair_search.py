"""The explain-pair page: staff find both sides by search, and only codes travel in URLs."""

import re

import pytest
from django.urls import reverse

from tests.teachers.factories import make_eligible_teacher
from tests.vacancies.factories import VacancyFactory


@pytest.fixture
def pair(db, school_a):
    teacher = make_eligible_teacher(legal_name="Olivia Hartley")
    make_eligible_teacher(legal_name="Someone Else")
    vacancy = VacancyFactory(school=school_a, title_en="Science in English")
    return teacher, vacancy


def test_search_lists_teachers_and_vacancies_by_code(client, center_user, pair):
    teacher, vacancy = pair
    client.force_login(center_user)

    teachers = client.get(reverse("matching:pair_search", args=["teacher"]), {"teacher_q": "hart"})
    vacancies = client.get(
        reverse("matching:pair_search", args=["vacancy"]), {"vacancy_q": "Xihu No. 1"}
    )

    text = teachers.content.decode()
    assert f'value="{teacher.code}"' in text and "Olivia Hartley" in text
    assert "Someone Else" not in text
    assert f'value="{vacancy.code}"' in vacancies.content.decode()
    assert not re.search(r'value="\d+"', text)  # no integer ids


def test_pair_page_without_javascript_searches_then_explains(client, center_user, pair):
    teacher, vacancy = pair
    client.force_login(center_user)
    url = reverse("matching:pair_explain")

    found = client.get(url, {"teacher_q": "Olivia", "vacancy_q": "Science", "search": "teacher"})
    text = found.content.decode()
    assert f'name="teacher" id="teacher-{teacher.code}" value="{teacher.code}"' in text
    assert f'value="{vacancy.code}"' in text
    assert 'value="Olivia"' in text  # what was typed stays
    assert "Choose a teacher" not in text

    explained = client.get(
        url, {"teacher_q": "Olivia", "teacher": teacher.code, "vacancy": vacancy.code}
    )
    text = explained.content.decode()
    assert 'data-testid="pair-components"' in text
    assert f'value="{teacher.code}" checked' in text


def test_pair_page_asks_to_choose_both_sides(client, center_user, pair):
    client.force_login(center_user)

    response = client.get(reverse("matching:pair_explain"), {"teacher_q": "Olivia"})

    text = response.content.decode()
    assert response.status_code == 200
    assert "Choose a teacher from the search results." in text
    assert "Choose a vacancy from the search results." in text


def test_an_integer_teacher_id_is_no_longer_accepted(client, center_user, pair):
    teacher, vacancy = pair
    client.force_login(center_user)

    response = client.get(
        reverse("matching:pair_explain"), {"teacher": teacher.pk, "vacancy": vacancy.code}
    )

    assert 'data-testid="pair-components"' not in response.content.decode()


@pytest.mark.parametrize("actor", ["liaison_a", "teacher_user", "bureau_xihu_user"])
def test_only_center_staff_may_search(client, request, pair, actor):
    client.force_login(request.getfixturevalue(actor))

    response = client.get(reverse("matching:pair_search", args=["teacher"]), {"teacher_q": "Oli"})

    assert response.status_code in {403, 404}
    assert "Olivia" not in response.content.decode()

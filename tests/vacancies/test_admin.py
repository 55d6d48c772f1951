from django.contrib.auth.models import Group
from django.urls import reverse

from apps.notifications.models import Notification
from apps.vacancies.models import VacancyStatus
from tests.vacancies.factories import VacancyFactory


def _center_login(client, center_user):
    center_user.groups.add(Group.objects.get(name="Center staff"))
    client.force_login(center_user)


def test_center_approves_submitted_vacancies_with_an_admin_action(
    client, center_user, liaison_a, school_a
):
    vacancy = VacancyFactory(school=school_a, status=VacancyStatus.SUBMITTED)
    draft = VacancyFactory(school=school_a, status=VacancyStatus.DRAFT)
    _center_login(client, center_user)

    response = client.post(
        reverse("admin:vacancies_vacancy_changelist"),
        {"action": "approve_selected", "_selected_action": [vacancy.pk, draft.pk]},
        follow=True,
    )

    vacancy.refresh_from_db()
    draft.refresh_from_db()
    assert vacancy.status == VacancyStatus.PUBLISHED
    assert draft.status == VacancyStatus.DRAFT  # refused by the state machine, with a message
    assert "cannot become" in response.content.decode()
    assert Notification.objects.filter(recipient=liaison_a, kind="vacancy.published").exists()


def test_center_sends_back_with_a_reason_from_admin(client, center_user, liaison_a, school_a):
    vacancy = VacancyFactory(school=school_a, status=VacancyStatus.SUBMITTED)
    _center_login(client, center_user)
    url = reverse("admin:vacancies_vacancy_send_back", args=[vacancy.pk])

    empty = client.post(url, {"reason": ""})
    done = client.post(url, {"reason": "Add the weekly timetable."})

    assert empty.status_code == 200
    assert done.status_code == 302
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.return_reason) == (
        VacancyStatus.DRAFT,
        "Add the weekly timetable.",
    )


def test_admin_changelist_loads_with_filters(client, center_user, django_assert_max_num_queries):
    VacancyFactory.create_batch(10)
    _center_login(client, center_user)

    with django_assert_max_num_queries(25):
        response = client.get(
            reverse("admin:vacancies_vacancy_changelist"), {"status__exact": "published"}
        )

    assert response.status_code == 200


def test_center_cannot_edit_a_vacancy_behind_the_service(client, center_user, school_a):
    vacancy = VacancyFactory(school=school_a, posts=1, salary_max=20000)
    _center_login(client, center_user)
    url = reverse("admin:vacancies_vacancy_change", args=[vacancy.pk])

    page = client.get(url)
    client.post(url, {"posts": "9", "salary_max": "99000", "title_en": "Changed"})

    vacancy.refresh_from_db()
    assert page.status_code == 200
    assert (vacancy.posts, vacancy.salary_max, vacancy.title_en) == (1, 20000, vacancy.title_en)
    assert vacancy.title_en != "Changed"

from django.urls import reverse

from apps.notifications.models import Notification
from apps.vacancies import services
from apps.vacancies.models import SavedSearch, SavedSearchAlert, VacancyStatus
from tests.accounts.factories import TeacherUserFactory
from tests.vacancies.factories import VacancyFactory


def test_teacher_saves_the_current_search(client, teacher_user):
    client.force_login(teacher_user)

    response = client.post(
        reverse("vacancies:saved_searches"),
        {
            "name": "Science in Xihu",
            "query": "subject=science&district=330106",
            "email_alerts": "on",
        },
    )

    assert response.status_code == 302
    search = SavedSearch.objects.get(user=teacher_user)
    assert (search.name, search.query) == ("Science in Xihu", "subject=science&district=330106")


def test_a_duplicate_name_is_explained(client, teacher_user):
    SavedSearch.objects.create(user=teacher_user, name="Mine", query="")
    client.force_login(teacher_user)

    response = client.post(reverse("vacancies:saved_searches"), {"name": "Mine", "query": "q=x"})

    assert response.status_code == 200
    assert "already have a saved search with this name" in response.content.decode()


def test_alerts_go_once_per_vacancy_per_matching_search(teacher_user):
    vacancy = VacancyFactory()  # oral English, Xihu
    matching = SavedSearch.objects.create(
        user=teacher_user, name="Oral", query="subject=oral_english"
    )
    SavedSearch.objects.create(user=teacher_user, name="Science", query="subject=science")
    other = SavedSearch.objects.create(user=TeacherUserFactory(), name="Anything", query="")

    first = services.saved_search_alerts_send(vacancy_id=vacancy.pk)
    second = services.saved_search_alerts_send(vacancy_id=vacancy.pk)

    assert (first, second) == (2, 0)
    assert set(SavedSearchAlert.objects.values_list("saved_search", flat=True)) == {
        matching.pk,
        other.pk,
    }
    assert Notification.objects.filter(kind="vacancy.saved_search_match").count() == 2


def test_no_alert_for_an_unpublished_vacancy(teacher_user):
    vacancy = VacancyFactory(status=VacancyStatus.DRAFT)
    SavedSearch.objects.create(user=teacher_user, name="All", query="")

    assert services.saved_search_alerts_send(vacancy_id=vacancy.pk) == 0


def test_approval_queues_the_alerts_after_commit(
    liaison_a, school_a, center_user, teacher_user, django_capture_on_commit_callbacks
):
    vacancy = VacancyFactory(school=school_a, status=VacancyStatus.SUBMITTED)
    SavedSearch.objects.create(user=teacher_user, name="All", query="")

    with django_capture_on_commit_callbacks(execute=True):
        services.vacancy_approve(actor=center_user, vacancy=vacancy)

    assert SavedSearchAlert.objects.filter(vacancy=vacancy).count() == 1


def test_cannot_delete_someone_elses_saved_search(client, teacher_user):
    others = SavedSearch.objects.create(user=TeacherUserFactory(), name="Theirs", query="")
    client.force_login(teacher_user)

    client.post(reverse("vacancies:saved_search_delete", args=[others.code]))

    assert SavedSearch.objects.filter(pk=others.pk).exists()

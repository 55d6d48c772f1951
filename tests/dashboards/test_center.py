from django.urls import reverse

from apps.teachers.models import TeacherStatus
from tests.schools.factories import SchoolFactory
from tests.teachers.factories import TeacherFactory
from tests.vacancies.factories import VacancyFactory


def test_center_dashboard_counts_every_queue(client, center_user, django_assert_max_num_queries):
    TeacherFactory.create_batch(3, status=TeacherStatus.PENDING)
    TeacherFactory(status=TeacherStatus.DRAFT)
    SchoolFactory.create_batch(2, verification_status="pending")
    VacancyFactory.create_batch(2, status="submitted")
    client.force_login(center_user)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("dashboards:center"))

    counts = {queue["key"]: queue["count"] for queue in response.context["queues"]}
    assert counts["teachers_pending"] == 3
    assert counts["schools_pending"] == 2
    assert counts["vacancies_submitted"] == 2
    assert counts["teachers_duplicate"] == 0
    page = response.content.decode()
    assert reverse("admin:teachers_teacher_changelist") + "?status__exact=pending" in page

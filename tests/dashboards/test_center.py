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

    # 14: guidance's overdue queue reads the active employments (none here).
    with django_assert_max_num_queries(14):
        response = client.get(reverse("dashboards:center"))

    counts = {queue["key"]: queue["count"] for queue in response.context["queues"]}
    assert counts["teachers_pending"] == 3
    assert counts["schools_pending"] == 2
    assert counts["vacancies_submitted"] == 2
    assert counts["teachers_duplicate"] == 0
    page = response.content.decode()
    assert reverse("admin:teachers_teacher_changelist") + "?status__exact=pending" in page


def test_center_dashboard_lists_the_latest_runs_with_their_outcome(client, center_user):
    from apps.matching import services
    from tests.matching.factories import english_teacher, english_vacancy

    english_teacher()
    english_vacancy()
    run = services.match_run_start(actor=center_user, queue=False)
    services.match_run_execute(run_id=run.pk)
    queued = services.match_run_start(actor=center_user, queue=False)
    client.force_login(center_user)
    page = client.get(reverse("dashboards:center")).content.decode()
    assert reverse("matching:run_detail", args=[run.code]) in page
    assert reverse("matching:run_detail", args=[queued.code]) in page
    assert "1 of 1 places" in page
    assert reverse("matching:run_start") in page

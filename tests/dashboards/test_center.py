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


def test_center_dashboard_idle_and_review_counts_stay_exact_as_rows_grow(
    client, center_user, django_assert_num_queries
):
    """The counts read the partial indexes; more rows change the figures, not the queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from apps.applications.models import Application, ApplicationStatus
    from apps.teachers.models import DocumentKind, DocumentStatus
    from apps.teachers.selectors import review_queue_counts
    from tests.applications.factories import ApplicationFactory
    from tests.teachers.factories import add_document

    def add_rows():
        waiting = ApplicationFactory()
        answered = ApplicationFactory(status=ApplicationStatus.REJECTED, rejection_reason="x")
        ApplicationFactory()  # waiting, but the center was not reminded about it
        Application.objects.filter(pk__in=[waiting.pk, answered.pk]).update(
            center_nudged_at=timezone.now()
        )
        pending = TeacherFactory(status=TeacherStatus.PENDING)
        add_document(pending, DocumentKind.PASSPORT, status=DocumentStatus.UPLOADED)
        add_document(pending, DocumentKind.DEGREE, status=DocumentStatus.VERIFIED)

    client.force_login(center_user)
    url = reverse("dashboards:center")
    add_rows()
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    counts = {queue["key"]: queue["count"] for queue in response.context["queues"]}
    assert counts["applications_idle"] == 1
    assert review_queue_counts()["documents_to_review"] == 1

    add_rows()
    add_rows()
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    counts = {queue["key"]: queue["count"] for queue in response.context["queues"]}
    assert counts["applications_idle"] == 3
    assert review_queue_counts()["documents_to_review"] == 3

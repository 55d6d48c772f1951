from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from apps.evaluations.services import evaluation_save
from apps.teachers.models import TeacherStatus
from tests.schools.factories import SchoolFactory
from tests.teachers.factories import TeacherFactory
from tests.vacancies.factories import VacancyFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


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
    first_count = len(first.captured_queries)  # the next request clears the query log
    counts = {queue["key"]: queue["count"] for queue in response.context["queues"]}
    assert counts["applications_idle"] == 1
    assert review_queue_counts()["documents_to_review"] == 1

    add_rows()
    add_rows()
    client.get(url)  # the writes retired the cached counts: read them again once
    with django_assert_num_queries(first_count):
        response = client.get(url)
    counts = {queue["key"]: queue["count"] for queue in response.context["queues"]}
    assert counts["applications_idle"] == 3
    assert review_queue_counts()["documents_to_review"] == 3


def _queue_counts(client) -> dict[str, int]:
    response = client.get(reverse("dashboards:center"))
    return {queue["key"]: queue["count"] for queue in response.context["queues"]}


def test_the_center_counts_are_read_once_then_served_until_a_write(
    client, center_user, django_assert_max_num_queries
):
    """A repeat visit reads only the cheap live counts and the runs, not the big counts."""
    TeacherFactory.create_batch(2, status=TeacherStatus.PENDING)
    SchoolFactory(verification_status="pending")
    client.force_login(center_user)
    first = _queue_counts(client)

    # Session, user, idle applications, internship agreements, the latest runs.
    with django_assert_max_num_queries(5):
        again = _queue_counts(client)

    assert again == first
    assert again["teachers_pending"] == 2 and again["schools_pending"] == 1


def test_the_center_counts_follow_verifications_and_submissions(
    client, center_user, django_capture_on_commit_callbacks
):
    from apps.schools.services import school_verify
    from apps.teachers.services import teacher_verify
    from apps.vacancies.services import vacancy_approve

    school = SchoolFactory(verification_status="pending")
    teacher = TeacherFactory(status=TeacherStatus.PENDING)
    vacancy = VacancyFactory(status="submitted")
    client.force_login(center_user)
    before = _queue_counts(client)
    assert (before["schools_pending"], before["teachers_pending"]) == (1, 1)
    assert before["vacancies_submitted"] == 1

    # Status moves (conditional updates, audited), each committed.
    with django_capture_on_commit_callbacks(execute=True):
        school_verify(actor=center_user, school=school)
    assert _queue_counts(client)["schools_pending"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        teacher_verify(actor=center_user, teacher=teacher, include_documents=False)
    assert _queue_counts(client)["teachers_pending"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_approve(actor=center_user, vacancy=vacancy)
    assert _queue_counts(client)["vacancies_submitted"] == 0

    # Plain saves too (the admin's among them).
    with django_capture_on_commit_callbacks(execute=True):
        SchoolFactory(verification_status="pending")
        TeacherFactory(status=TeacherStatus.PENDING)
    counts = _queue_counts(client)
    assert (counts["schools_pending"], counts["teachers_pending"]) == (1, 1)


def test_the_late_evaluation_count_follows_the_day_and_the_schools_submission(
    client, center_user, school_a, liaison_a, django_capture_on_commit_callbacks
):
    import time_machine

    from tests.evaluations.factories import GOOD, evaluation_for, make_employment

    # 2026Q3's deadline is 31 October: late from 1 November.
    with time_machine.travel(datetime(2026, 10, 31, 23, 0, tzinfo=SHANGHAI), tick=False):
        evaluation = evaluation_for(make_employment(school_a))
        client.force_login(center_user)
        assert _queue_counts(client)["evaluations_late"] == 0
    with time_machine.travel(datetime(2026, 11, 1, 0, 30, tzinfo=SHANGHAI), tick=False):
        assert _queue_counts(client)["evaluations_late"] == 1
        with django_capture_on_commit_callbacks(execute=True):
            evaluation_save(actor=liaison_a, evaluation=evaluation, values=GOOD, submit=True)
        assert _queue_counts(client)["evaluations_late"] == 0


def test_only_center_staff_reach_the_center_dashboard(
    client, center_user, school_user, teacher_user, bureau_user
):
    url = reverse("dashboards:center")
    client.force_login(center_user)
    client.get(url)  # the counts are cached now
    for user in (school_user, teacher_user, bureau_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "work-queues" not in response.content.decode()

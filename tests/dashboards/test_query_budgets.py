"""Query budgets of the busiest pages (issue 18): more rows never mean more queries.

Each test loads a page with a few rows, adds more, and requires exactly the same number of
queries — a query per row (N+1) in a selector or a template would show as a difference.
"""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import Subject, TeachingLevel
from apps.vacancies import services as vacancy_services
from apps.vacancies.models import VacancyStatus
from tests.applications.factories import ApplicationFactory, english_vacancy
from tests.teachers.factories import TeacherFactory, make_eligible_teacher
from tests.vacancies.factories import VacancyFactory

pytestmark = pytest.mark.django_db


def queries_for(client, url: str, data: dict | None = None, *, warm: bool = True) -> int:
    """Count the queries of one request (after a first one, unless told not to)."""
    if warm:
        client.get(url, data or {})
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(context.captured_queries)


def test_teacher_dashboard_queries_do_not_grow_with_applications(client, django_assert_num_queries):
    teacher = make_eligible_teacher()
    ApplicationFactory(teacher=teacher, vacancy=english_vacancy())
    client.force_login(teacher.user)
    url = reverse("dashboards:teacher")
    client.get(url)  # the very first visit creates the policy settings row
    cached = queries_for(client, url)
    # An application retires the teacher's cached parts: the next visit reads them again.
    ApplicationFactory(teacher=teacher, vacancy=english_vacancy())
    rebuilt = queries_for(client, url, warm=False)

    for _ in range(3):
        ApplicationFactory(teacher=teacher, vacancy=english_vacancy())
    with django_assert_num_queries(rebuilt):
        response = client.get(url)

    assert len(response.context["applications"]) == 5
    # The admission standard is evaluated once and handed to the suggestions.
    assert rebuilt <= 22
    # Cached: the session, the user and the teacher's own row.
    assert cached == queries_for(client, url, warm=False) == 3


def test_search_with_filters_and_keyword_queries_do_not_grow(client, django_assert_num_queries):
    english = Subject.objects.get(code="oral_english")
    primary = TeachingLevel.objects.get(code="primary")
    VacancyFactory.create_batch(3, subjects=[english], levels=[primary])
    url = reverse("vacancies:search")
    query = {"q": "English", "subject": "oral_english", "level": "primary", "sort": "salary"}
    cache.clear()
    baseline = queries_for(client, url, query, warm=False)

    VacancyFactory.create_batch(9, subjects=[english], levels=[primary])
    cache.clear()  # the count is cached per query; this run counts again
    with django_assert_num_queries(baseline):
        response = client.get(url, query)

    assert response.context["page"].paginator.count == 12
    # Asked again, everything comes from the cache: the filter lists, the count, the results.
    assert queries_for(client, url, query) == 0


def test_search_count_is_cached_and_a_publication_updates_it(
    client, center_user, django_assert_num_queries, django_capture_on_commit_callbacks
):
    VacancyFactory.create_batch(2)
    waiting = VacancyFactory(status=VacancyStatus.SUBMITTED)
    url = reverse("vacancies:search")
    client.get(url)  # caches the filter form's lists
    first = queries_for(client, url, {"q": "English"}, warm=False)

    # The same search again, in another order: the count comes from the cache.
    with django_assert_num_queries(first - 1):
        response = client.get(url, {"q": "English", "sort": "start"})
    assert response.context["page"].paginator.count == 2

    with django_capture_on_commit_callbacks(execute=True):
        vacancy_services.vacancy_approve(actor=center_user, vacancy=waiting)

    response = client.get(url, {"q": "English"})
    assert response.context["page"].paginator.count == 3
    assert "3 vacancies found" in response.content.decode()


def test_search_reads_school_names_and_titles(client):
    VacancyFactory(title_en="Art teacher", description_en="Painting.")
    by_title = VacancyFactory(title_en="Science teacher", description_en="Labs.")
    by_school = VacancyFactory(
        title_en="Music teacher", description_en="Choir.", school__name_en="Science Park School"
    )

    response = client.get(reverse("vacancies:search"), {"q": "science"})

    assert {v.pk for v in response.context["page"]} == {by_title.pk, by_school.pk}
    assert response.context["page"].paginator.count == 2


def test_bureau_vacancy_list_queries_do_not_grow(
    client,
    bureau_xihu_user,
    school_a,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    VacancyFactory.create_batch(2, school=school_a)
    client.force_login(bureau_xihu_user)
    url = reverse("vacancies:bureau_list")
    client.get(url)
    # The list is cached until a committed vacancy write: each visit below reads it again.
    with django_capture_on_commit_callbacks(execute=True):
        VacancyFactory(school=school_a, status=VacancyStatus.DRAFT)
    baseline = queries_for(client, url, warm=False)

    with django_capture_on_commit_callbacks(execute=True):
        VacancyFactory.create_batch(5, school=school_a, status=VacancyStatus.DRAFT)
    with django_assert_num_queries(baseline):
        response = client.get(url)

    assert len(response.context["page"]) == 8


def test_school_dashboard_queries_do_not_grow(
    client, liaison_a, school_a, django_assert_num_queries
):
    ApplicationFactory(vacancy=english_vacancy(school=school_a))
    client.force_login(liaison_a)
    url = reverse("dashboards:school")
    # The figures are cached: compare the requests that compute them.
    client.get(url)
    cache.clear()
    baseline = queries_for(client, url, warm=False)

    for _ in range(5):
        ApplicationFactory(vacancy=english_vacancy(school=school_a))
    cache.clear()
    with django_assert_num_queries(baseline):
        response = client.get(url)

    assert response.context["open_applicants"] == 6


def test_center_dashboard_queries_do_not_grow_and_duplicates_count_once(
    client, center_user, django_assert_num_queries
):
    first = TeacherFactory(passport_number="E1234567")
    TeacherFactory(passport_number="E1234567")
    client.force_login(center_user)
    url = reverse("dashboards:center")
    client.get(url)
    cache.clear()  # the duplicate count is cached: both measures count
    baseline = queries_for(client, url, warm=False)

    TeacherFactory.create_batch(4)
    TeacherFactory(passport_number=first.passport_number)
    cache.clear()
    with django_assert_num_queries(baseline):
        response = client.get(url)

    counts = {queue["key"]: queue["count"] for queue in response.context["queues"]}
    assert counts["teachers_duplicate"] == 3


def test_a_new_passport_number_recounts_duplicates(
    client, center_user, django_capture_on_commit_callbacks
):
    from apps.teachers.services import teacher_update

    first = TeacherFactory(passport_number="G7654321")
    other = TeacherFactory(passport_number="H0000001")
    client.force_login(center_user)
    url = reverse("dashboards:center")

    def duplicates() -> int:
        queues = client.get(url).context["queues"]
        return {queue["key"]: queue["count"] for queue in queues}["teachers_duplicate"]

    assert duplicates() == 0
    with django_capture_on_commit_callbacks(execute=True):
        teacher_update(
            actor=other.user, teacher=other, values={"passport_number": first.passport_number}
        )
    assert duplicates() == 2


def test_vacancy_search_dates_still_filter(client):
    early = VacancyFactory(contract_start=date(2027, 2, 1))
    VacancyFactory(contract_start=date(2027, 9, 1))

    response = client.get(reverse("vacancies:search"), {"start_until": "2027-03-01"})

    assert [v.pk for v in response.context["page"]] == [early.pk]

"""The bureau's read-only lists: pagination, filters, sorting, jurisdiction, bounded queries."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from apps.core.models import District
from tests.evaluations.factories import make_employment
from tests.schools.factories import SchoolFactory


@pytest.fixture
def register(db):
    """30 employments in Xihu (every third ended), 2 in Gongshu."""
    xihu_school = SchoolFactory(name_en="Xihu Register School")
    gongshu_school = SchoolFactory(district=District.objects.get(code="330105"))
    for n in range(30):
        make_employment(
            xihu_school,
            start=date(2025, 1, 1) + timedelta(days=n),
            ended_on=date(2026, 1, 1) if n % 3 == 0 else None,
        )
    for _n in range(2):
        make_employment(gongshu_school)
    return xihu_school


def test_employment_list_is_paginated_filtered_and_sorted(client, register, bureau_city_user):
    client.force_login(bureau_city_user)
    url = reverse("employment:bureau_list")
    first = client.get(url)
    assert first.context["page"].paginator.count == 32
    assert len(first.context["page"].object_list) == 25
    second = client.get(url, {"page": 2})
    assert len(second.context["page"].object_list) == 7
    ended = client.get(url, {"status": "ended"})
    assert ended.context["page"].paginator.count == 10
    gongshu = client.get(url, {"district": District.objects.get(code="330105").pk})
    assert gongshu.context["page"].paginator.count == 2
    oldest = client.get(url, {"sort": "start", "district": register.district_id})
    starts = [e.contract_start for e in oldest.context["page"].object_list]
    assert starts == sorted(starts) and starts[0] == date(2025, 1, 1)
    # The page links keep the filters.
    assert "sort=start" in oldest.context["query"]


def test_district_bureau_lists_only_its_own_employments(client, register, bureau_xihu_user):
    client.force_login(bureau_xihu_user)
    response = client.get(reverse("employment:bureau_list"))
    assert response.context["page"].paginator.count == 30


def test_employment_list_queries_do_not_grow_with_rows(
    client, register, bureau_city_user, django_assert_max_num_queries
):
    client.force_login(bureau_city_user)
    with django_assert_max_num_queries(15):
        client.get(reverse("employment:bureau_list"))


def test_vacancy_and_visit_lists_filter_and_sort(client, city, bureau_city_user):
    client.force_login(bureau_city_user)
    vacancies = client.get(reverse("vacancies:bureau_list"), {"status": "filled"})
    assert vacancies.status_code == 200
    assert vacancies.context["page"].paginator.count == 3
    by_start = client.get(reverse("vacancies:bureau_list"), {"sort": "-salary"})
    assert by_start.status_code == 200
    visits = client.get(reverse("employment:bureau_visits"), {"year": 2025})
    assert visits.context["page"].paginator.count == 1
    ordered = client.get(reverse("employment:bureau_visits"), {"sort": "arrival"})
    arrivals = [v.arrival for v in ordered.context["page"].object_list]
    assert arrivals == sorted(arrivals)


def test_school_list_sorts(client, city, bureau_xihu_user):
    client.force_login(bureau_xihu_user)
    response = client.get(reverse("schools:bureau_schools"), {"sort": "-name"})
    names = [s.name for s in response.context["page"].object_list]
    assert names == sorted(names, reverse=True)


def test_vacancy_list_queries_do_not_grow_with_rows(
    client, city, bureau_city_user, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.vacancies.factories import VacancyFactory

    client.force_login(bureau_city_user)
    url = reverse("vacancies:bureau_list")
    client.get(url)
    # Committed writes retire the cached list: each visit below reads it again.
    with django_capture_on_commit_callbacks(execute=True):
        VacancyFactory(school=city.ga)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        VacancyFactory.create_batch(6, school=city.ga)

    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) >= 6
    assert len(first.captured_queries) <= 15


def test_employment_list_queries_are_fixed_as_rows_are_added(
    client,
    register,
    bureau_city_user,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(bureau_city_user)
    url = reverse("employment:bureau_list")
    client.get(url, {"district": register.district_id})
    # Committed writes retire the cached list: each visit below reads it again.
    with django_capture_on_commit_callbacks(execute=True):
        make_employment(register)
    with CaptureQueriesContext(connection) as first:
        client.get(url, {"district": register.district_id})
    with django_capture_on_commit_callbacks(execute=True):
        for _n in range(5):
            make_employment(register)

    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url, {"district": register.district_id})
    assert response.context["page"].paginator.count == 36


@pytest.mark.parametrize(
    "name", ["employment:bureau_list", "vacancies:bureau_list", "schools:bureau_schools"]
)
def test_filter_forms_keep_labels_values_and_errors(client, register, bureau_city_user, name):
    client.force_login(bureau_city_user)
    gongshu = District.objects.get(code="330105")
    page = client.get(reverse(name), {"district": gongshu.pk}).content.decode()
    assert '<label for="id_district" class="form-label">' in page
    assert f'<option value="{gongshu.pk}" selected>' in page
    assert 'class="form-select" id="id_district"' in page

    wrong = client.get(reverse(name), {"district": "999999"}).content.decode()
    assert 'class="form-select is-invalid"' in wrong
    assert 'id="id_district_error"' in wrong

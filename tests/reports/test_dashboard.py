"""The bureau dashboard: figures for the user's own jurisdiction only, charts with tables."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

NOON = datetime(2026, 6, 30, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def on_reference_day():
    with time_machine.travel(NOON, tick=False):
        yield


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("dashboards:bureau"), params)


def test_district_bureau_sees_its_own_district(client, city, bureau_xihu_user, on_reference_day):
    response = page(client, bureau_xihu_user)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.jurisdiction.district == city.xihu
    html = response.content.decode()
    assert re.search(r'data-testid="card-teachers">3<', html)
    assert 'data-testid="district-comparison"' not in html
    # A district bureau has no district picker (only the report form's hidden field).
    assert not re.search(r'<select[^>]*name="district"', html)


def test_district_bureau_cannot_ask_for_another_district(
    client, city, bureau_xihu_user, on_reference_day
):
    assert page(client, bureau_xihu_user, district="330105").status_code == 403


def test_municipal_bureau_compares_districts_and_picks_one(
    client, city, bureau_city_user, on_reference_day
):
    html = page(client, bureau_city_user).content.decode()
    assert 'data-testid="district-comparison"' in html
    assert re.search(r'data-testid="card-teachers">4<', html)
    gongshu = page(client, bureau_city_user, district="330105")
    assert gongshu.context["figures"].profile.total == 1
    assert gongshu.context["statistics"]["comparison"] is None


def test_center_staff_sees_the_city_on_its_statistics_page(
    client, city, center_user, bureau_xihu_user, on_reference_day
):
    client.force_login(center_user)
    response = client.get(reverse("dashboards:statistics"), {"district": "330105"})
    assert response.status_code == 200
    assert response.context["figures"].profile.total == 1
    assert page(client, center_user).status_code == 403  # the bureau's own dashboard
    client.force_login(bureau_xihu_user)
    assert client.get(reverse("dashboards:statistics")).status_code == 403


def test_teacher_and_school_cannot_open_it(client, city, teacher_user, school_user):
    assert page(client, teacher_user).status_code == 403
    assert page(client, school_user).status_code == 403


def test_switching_year_shows_that_year(client, city, bureau_city_user, on_reference_day):
    response = page(client, bureau_city_user, year="2025")
    assert response.context["year"] == 2025
    assert response.context["figures"].headline["teachers"].current == 3


def test_every_chart_has_a_table_and_data_without_inline_script(
    client, city, bureau_city_user, on_reference_day
):
    response = page(client, bureau_city_user)
    html = response.content.decode()
    for chart in response.context["statistics"]["charts"]:
        assert f'data-chart="{chart.key}"' in html
        assert f'data-testid="table-{chart.key}"' in html
    scripts = re.findall(r"<script(?P<attrs>[^>]*)>", html)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)
    assert "/static/vendor/chartjs/chart.umd.min.js" in html


def test_dashboard_statistics_use_a_bounded_number_of_queries(
    client, city, bureau_city_user, on_reference_day, django_assert_max_num_queries
):
    client.force_login(bureau_city_user)
    with django_assert_max_num_queries(40):  # ~24 for the statistics, the rest session/user
        client.get(reverse("dashboards:bureau"))


def test_bureau_without_jurisdiction_is_told_so(client, db):
    from tests.accounts.factories import BureauViewerUserFactory

    response = page(client, BureauViewerUserFactory())
    assert response.status_code == 200
    assert "no jurisdiction yet" in response.content.decode()


@pytest.fixture
def bureau_gongshu_user(db):
    from apps.accounts.models import BureauMembership
    from apps.core.models import District
    from tests.accounts.factories import BureauViewerUserFactory

    user = BureauViewerUserFactory(email="bureau.gongshu@example.org")
    BureauMembership.objects.create(user=user, district=District.objects.get(code="330105"))
    return user


def teachers_card(response) -> str:
    return re.search(r'data-testid="card-teachers">(\d+)<', response.content.decode()).group(1)


def test_cached_figures_never_cross_into_another_jurisdiction(
    client, city, bureau_xihu_user, bureau_gongshu_user, bureau_city_user, on_reference_day
):
    # Each jurisdiction's figures are read once, then served from the shared cache.
    assert teachers_card(page(client, bureau_xihu_user)) == "3"
    assert teachers_card(page(client, bureau_gongshu_user)) == "1"
    assert teachers_card(page(client, bureau_city_user)) == "4"

    assert teachers_card(page(client, bureau_xihu_user)) == "3"
    assert teachers_card(page(client, bureau_gongshu_user)) == "1"
    assert page(client, bureau_city_user, district="330105").context["figures"].profile.total == 1
    assert teachers_card(page(client, bureau_city_user)) == "4"


def test_cached_figures_are_at_most_five_minutes_old(
    client, city, bureau_xihu_user, on_reference_day
):
    from datetime import date, timedelta

    from tests.evaluations.factories import make_employment

    assert teachers_card(page(client, bureau_xihu_user)) == "3"
    make_employment(city.xa, start=date(2026, 6, 1), end=date(2027, 5, 31))

    assert teachers_card(page(client, bureau_xihu_user)) == "3"  # the cached figures
    with time_machine.travel(NOON + timedelta(minutes=5, seconds=1), tick=False):
        response = page(client, bureau_xihu_user)
    assert teachers_card(response) == "4"
    assert "brought up to date every 5 minutes" in response.content.decode()


def test_the_dashboard_from_the_cache_reads_few_queries_whatever_the_rows(
    client, city, bureau_xihu_user, on_reference_day, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.reports.models import ReportBuild
    from tests.schools.factories import SchoolFactory

    page(client, bureau_xihu_user)
    url = reverse("dashboards:bureau")
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    first_queries = [q["sql"][:60] for q in first.captured_queries]  # the next request clears them
    for year in (2024, 2025, 2026):
        ReportBuild.objects.create(year=year, district=city.xihu, language="en")
        SchoolFactory()
    client.get(url)  # a new school retires the cached school counts: read them again once

    # Session, user, membership, school and group counts, late evaluations, report builds,
    # inbox badge: the statistics themselves come from the cache.
    with django_assert_num_queries(len(first_queries)):
        response = client.get(url)
    assert len(first_queries) <= 9, first_queries
    assert len(response.context["report_builds"]) == 3

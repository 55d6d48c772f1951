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
    assert gongshu.context["comparison"] is None


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
    for chart in response.context["charts"]:
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

"""The center's late-evaluation list is cached: a write that changes a row, or the day, shows."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from .factories import evaluation_for, submitted


def late_list(client, language: str = "en", **params) -> str:
    with translation.override(language):
        url = reverse("evaluations:center_late")
    return client.get(url, params).content.decode()


@pytest.fixture
def center_client(client, center_user):
    client.force_login(center_user)
    return client


@pytest.fixture
def late(employment_b):
    # 2026Q3's deadline is 31 October: on 10 November open evaluations are late.
    with time_machine.travel(date(2026, 11, 10)):
        yield evaluation_for(employment_b)


def test_a_repeat_visit_reads_no_evaluation(center_client, late, django_assert_num_queries):
    assert "Yusuf Young" in late_list(center_client)

    with django_assert_num_queries(2):  # session and user
        page = late_list(center_client)

    assert "Yusuf Young" in page


def test_a_submitted_evaluation_leaves_the_cached_list(
    center_client, late, liaison_b, django_capture_on_commit_callbacks
):
    assert "Yusuf Young" in late_list(center_client)

    with django_capture_on_commit_callbacks(execute=True):
        submitted(late, liaison_b)

    page = late_list(center_client)
    assert "Yusuf Young" not in page
    assert "No late evaluations." in page


def test_renamed_teachers_and_schools_show_at_once(
    center_client, late, django_capture_on_commit_callbacks
):
    assert "Gongshu No. 1 Primary" in late_list(center_client)

    with django_capture_on_commit_callbacks(execute=True):
        late.teacher.legal_name = "Yusuf Young-Li"
        late.teacher.save()  # as the admin saves it
    assert "Yusuf Young-Li" in late_list(center_client)

    with django_capture_on_commit_callbacks(execute=True):
        late.school.name_en = "Gongshu Experimental Primary"
        late.school.save()
    assert "Gongshu Experimental Primary" in late_list(center_client)


def test_an_evaluation_is_listed_from_the_day_after_its_deadline(center_client, employment_b):
    with time_machine.travel(date(2026, 10, 31)):
        evaluation_for(employment_b)
        assert "Yusuf Young" not in late_list(center_client)  # due today, not late yet
    with time_machine.travel(date(2026, 11, 1)):
        assert "Yusuf Young" in late_list(center_client)


def test_each_filter_and_language_has_its_own_cached_list(center_client, late):
    assert "Yusuf Young" in late_list(center_client)

    assert "Yusuf Young" not in late_list(center_client, school="Xihu")
    assert "Yusuf Young" in late_list(center_client, school="Gongshu")
    assert "Yusuf Young" not in late_list(center_client, district="330106")
    chinese = late_list(center_client, "zh-hans")
    assert "拱墅第一小学" in chinese and "Gongshu No. 1 Primary" not in chinese


def test_a_bureau_viewer_never_gets_the_center_list(client, center_user, late, bureau_user):
    client.force_login(center_user)
    assert "Yusuf Young" in late_list(client)

    client.force_login(bureau_user)
    response = client.get(reverse("evaluations:center_late"))
    assert response.status_code in (302, 403)
    assert "Yusuf Young" not in response.content.decode()
    # The bureau's own list of the same rows never names the teacher.
    assert "Yusuf Young" not in client.get(reverse("evaluations:bureau_late")).content.decode()

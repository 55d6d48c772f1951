"""Admin: a school assessment refused with a message (not a 500), the school filter, links."""

from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from apps.evaluations.models import SchoolAssessment
from tests.schools.factories import SchoolFactory

from .factories import evaluation_for, open_round

pytestmark = pytest.mark.usefixtures("_in_november")


@pytest.fixture
def _in_november():
    with time_machine.travel(date(2026, 11, 10)):
        yield


@pytest.fixture
def admin_client(client, center_user):
    center_user.groups.add(Group.objects.get(name="Center staff"))
    client.force_login(center_user)
    return client


def test_adding_an_assessment_for_a_school_without_a_teacher_shows_a_message(
    admin_client, employment_a
):
    round_ = evaluation_for(employment_a).round
    lonely = SchoolFactory(name="Lonely Primary School")
    url = reverse("admin:evaluations_schoolassessment_add")
    data = {"round": round_.pk, "school": lonely.pk, "score": 4, "comment": "Kept comment"}

    response = admin_client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "employed no foreign teacher in 2026Q3" in page
    assert "Kept comment" in page
    assert not SchoolAssessment.objects.exists()

    response = admin_client.post(url, data | {"school": employment_a.school.pk})
    assert response.status_code == 302
    assert SchoolAssessment.objects.get().score == 4


def test_the_evaluation_list_filters_by_school(admin_client, employment_a, employment_b):
    evaluation_for(employment_a)
    url = reverse("admin:evaluations_evaluation_changelist")
    school = employment_a.school

    by_district = admin_client.get(url, {"school__district__id__exact": school.district_id})
    assert f"school={school.code}" in by_district.content.decode()  # the district's schools
    response = admin_client.get(url, {"school": str(school.code)})
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert shown and {e.school_id for e in shown} == {school.pk}


def test_the_center_can_reach_the_assessments_page(admin_client, employment_a):
    open_round()
    target = reverse("evaluations:center_assessments")
    for page in ("evaluations:center_late", "dashboards:center"):
        response = admin_client.get(reverse(page))
        assert response.status_code == 200
        assert f'href="{target}"' in response.content.decode(), page

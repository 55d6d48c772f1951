"""Query budgets of the evaluations pages at city scale (issue 18): once the survey tables and
the inbox badge are cached, each page reads the viewer, their scope and its own rows only."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from apps.evaluations.models import SurveyDirection, SurveyQuestion
from apps.evaluations.services import survey_submit
from tests.teachers.factories import TeacherFactory

from .factories import evaluation_for, make_employment, submitted

pytestmark = pytest.mark.usefixtures("_in_october")


@pytest.fixture
def _in_october():
    with time_machine.travel(date(2026, 10, 10)):
        yield


@pytest.fixture
def answered(school_a, liaison_a):
    """Five teachers at school A, each evaluated and answering the survey about it."""
    scores = {
        q.pk: 4
        for q in SurveyQuestion.objects.filter(
            direction=SurveyDirection.TEACHER_ABOUT_SCHOOL, is_active=True
        )
    }
    evaluations = []
    for _ in range(5):
        teacher = TeacherFactory()
        evaluation = evaluation_for(make_employment(school_a, teacher=teacher))
        survey_submit(
            actor=teacher.user,
            evaluation=evaluation,
            direction=SurveyDirection.TEACHER_ABOUT_SCHOOL,
            scores=scores,
        )
        evaluations.append(submitted(evaluation, liaison_a))
    return evaluations


def _warm_then_count(client, url, django_assert_num_queries, budget):
    assert client.get(url).status_code == 200  # fills the caches
    with django_assert_num_queries(budget):
        assert client.get(url).status_code == 200


def test_the_school_pages_read_the_school_and_its_rows(
    client, answered, liaison_a, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client.force_login(liaison_a)
    url = reverse("evaluations:school_list")
    # Session, user, membership; the tabs and rows are cached.
    _warm_then_count(client, url, django_assert_num_queries, 3)
    # Once a write retires them (an evaluation saved): the tab counts and the page's rows (the
    # counts size the pager).
    with django_capture_on_commit_callbacks(execute=True):
        answered[0].save()
    with django_assert_num_queries(3 + 2):
        assert client.get(url).status_code == 200
    # Parameters the page does not read share the cached copy of the tab and page they name.
    assert client.get(url, {"state": "done", "x": "1"}).status_code == 200
    with django_assert_num_queries(3):
        assert client.get(url, {"state": "done", "x": "2"}).status_code == 200
    # Session, user, membership, the assessments; the survey table is cached.
    _warm_then_count(client, reverse("evaluations:school_results"), django_assert_num_queries, 4)


def test_the_teacher_page_reads_the_teacher_and_one_list(
    client, answered, django_assert_num_queries
):
    teacher = answered[0].teacher
    client.force_login(teacher.user)
    # Session, user, teacher, their evaluations and surveys in one list.
    _warm_then_count(client, reverse("evaluations:teacher_list"), django_assert_num_queries, 4)


def test_the_bureau_satisfaction_page_reads_no_answer_once_cached(
    client, answered, bureau_city_user, bureau_xihu_user, django_assert_num_queries
):
    url = reverse("evaluations:bureau_surveys")
    for user in (bureau_city_user, bureau_xihu_user):
        client.force_login(user)
        # Session, user, jurisdiction, the district filter's choices.
        _warm_then_count(client, url, django_assert_num_queries, 4)


def test_the_center_assessment_list_reads_a_page_of_schools(
    client, answered, center_user, django_assert_num_queries
):
    client.force_login(center_user)
    url = reverse("evaluations:center_assessments")
    # Session, user, the latest round; the list is cached.
    _warm_then_count(client, url, django_assert_num_queries, 3)
    # Once a write retires it (a school saved): the count and page of schools, the five
    # indicator reads (policy, evaluations with their hours, changes, liaisons, visits), the
    # filter's rounds and districts.
    answered[0].school.save()
    with django_assert_num_queries(3 + 9):
        assert client.get(url).status_code == 200

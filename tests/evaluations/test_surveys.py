from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.evaluations.models import SurveyDirection, SurveyQuestion, SurveyResponse
from apps.evaluations.selectors.surveys import (
    survey_results_for_bureau,
    survey_results_for_school,
    survey_results_for_teacher,
)
from apps.evaluations.services import survey_submit
from tests.schools.factories import SchoolMembershipFactory
from tests.teachers.factories import TeacherFactory

from .factories import evaluation_for, make_employment

T2S = SurveyDirection.TEACHER_ABOUT_SCHOOL
S2T = SurveyDirection.SCHOOL_ABOUT_TEACHER

pytestmark = pytest.mark.usefixtures("_in_october")


@pytest.fixture
def _in_october():
    with time_machine.travel(date(2026, 10, 10)):
        yield


def _scores(direction, score=4):
    return {q.pk: score for q in SurveyQuestion.objects.filter(direction=direction, is_active=True)}


def _teachers_answer(school, count, score=4):
    for _ in range(count):
        teacher = TeacherFactory()
        evaluation = evaluation_for(make_employment(school, teacher=teacher))
        survey_submit(
            actor=teacher.user, evaluation=evaluation, direction=T2S, scores=_scores(T2S, score)
        )


def _overall(table):
    return {question.code: total for question, _cells, total in table.rows}


def test_four_answers_stay_hidden_and_five_are_shown_to_the_school(school_a, liaison_a, client):
    _teachers_answer(school_a, 4, score=2)
    table = survey_results_for_school(school=school_a)
    assert not _overall(table)["overall"].shown
    client.force_login(liaison_a)
    page = client.get(reverse("evaluations:school_results")).content.decode()
    assert "2.0" not in page
    assert page.count("not enough answers") >= len(table.rows)

    _teachers_answer(school_a, 1, score=5)
    cell = _overall(survey_results_for_school(school=school_a))["overall"]
    assert cell.shown and cell.count == 5 and str(cell.average) == "2.6"
    page = client.get(reverse("evaluations:school_results")).content.decode()
    assert "2.6" in page


def test_the_threshold_applies_to_teachers_and_bureaus_too(
    teacher_x, bureau_xihu_user, bureau_city_user
):
    schools = [SchoolMembershipFactory().school for _ in range(5)]
    # Five short contracts in one quarter, each school answering about teacher_x once.
    for index, school in enumerate(schools):
        start = date(2026, 7, 1 + 5 * index)
        employment = make_employment(
            school, teacher=teacher_x, start=start, end=date(2027, 6, 30), ended_on=start
        )
        if index == 4:
            assert not _overall(survey_results_for_teacher(teacher=teacher_x))["overall"].shown
            table = survey_results_for_bureau(user=bureau_xihu_user, direction=S2T)
            assert not _overall(table)["overall"].shown
        survey_submit(
            actor=school.memberships.get().user,
            evaluation=evaluation_for(employment),
            direction=S2T,
            scores=_scores(S2T, 5),
        )

    cell = _overall(survey_results_for_teacher(teacher=teacher_x))["overall"]
    assert cell.shown and cell.count == 5
    assert _overall(survey_results_for_bureau(user=bureau_city_user, direction=S2T))[
        "overall"
    ].shown
    # A teacher's aggregate holds only the answers about that teacher.
    assert not _overall(survey_results_for_teacher(teacher=TeacherFactory()))["overall"].count


def test_a_survey_is_answered_once_and_only_about_a_quarter_one_worked(
    employment_a, teacher_x, teacher_y, liaison_a
):
    evaluation = evaluation_for(employment_a)
    survey_submit(actor=teacher_x.user, evaluation=evaluation, direction=T2S, scores=_scores(T2S))
    with pytest.raises(ValidationError, match="already answered for 2026Q3"):
        survey_submit(
            actor=teacher_x.user, evaluation=evaluation, direction=T2S, scores=_scores(T2S)
        )
    with pytest.raises(ValidationError, match="were not employed at .* in 2026Q3"):
        survey_submit(
            actor=teacher_y.user, evaluation=evaluation, direction=T2S, scores=_scores(T2S)
        )
    with pytest.raises(PermissionDenied):
        survey_submit(actor=liaison_a, evaluation=evaluation, direction=T2S, scores=_scores(T2S))
    with pytest.raises(ValidationError) as incomplete:
        survey_submit(actor=liaison_a, evaluation=evaluation, direction=S2T, scores={})
    assert len(incomplete.value.error_dict) == 5
    assert SurveyResponse.objects.count() == 1


def test_the_survey_page_refuses_a_second_answer_and_keeps_the_input(
    client, employment_a, teacher_x
):
    evaluation = evaluation_for(employment_a)
    client.force_login(teacher_x.user)
    url = reverse("evaluations:teacher_survey", args=[evaluation.code])
    data = {f"q_{pk}": 5 for pk in _scores(T2S)} | {"comment": "Lovely colleagues"}
    partial = dict(data)
    partial.pop(f"q_{next(iter(_scores(T2S)))}")

    response = client.post(url, partial)
    assert response.status_code == 400
    assert "Lovely colleagues" in response.content.decode()
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 400
    assert "already answered" in again.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_a_teacher_cannot_open_a_survey_about_a_school_they_did_not_work_at(
    client, employment_b, teacher_x
):
    client.force_login(teacher_x.user)
    evaluation = evaluation_for(employment_b)
    assert (
        client.get(reverse("evaluations:teacher_survey", args=[evaluation.code])).status_code == 404
    )

"""Differencing attacks on the survey aggregates: nothing shown may reveal a withheld answer."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from apps.core.models import District
from apps.evaluations.models import (
    SurveyAnswer,
    SurveyDirection,
    SurveyQuestion,
    SurveyResponse,
)
from apps.evaluations.selectors.surveys import (
    survey_results_for_bureau,
    survey_results_for_school,
    survey_results_for_teacher,
)
from tests.schools.factories import SchoolFactory, SchoolMembershipFactory
from tests.teachers.factories import TeacherFactory

from .factories import evaluation_for, make_employment

T2S = SurveyDirection.TEACHER_ABOUT_SCHOOL
S2T = SurveyDirection.SCHOOL_ABOUT_TEACHER

pytestmark = pytest.mark.usefixtures("_in_october")


@pytest.fixture
def _in_october():
    with time_machine.travel(date(2026, 10, 10)):
        yield


def _answer(evaluation, direction, score) -> SurveyResponse:
    """One survey answered with `score` on every question, written straight into the tables."""
    response = SurveyResponse.objects.create(evaluation=evaluation, direction=direction)
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, question=question, score=score)
        for question in SurveyQuestion.objects.filter(direction=direction, is_active=True)
    )
    return response


def _shown(table) -> list:
    """Every figure a reader of the table can see: shown averages, and which cells are withheld."""
    return [[cell.average for cell in [*cells, total]] for _question, cells, total in table.rows]


def _tables(response) -> list[str]:
    """The survey tables of a page, as HTML (the rest of a page changes on every request)."""
    tables = re.findall(
        r'<table[^>]*data-testid="survey-table".*?</table>', response.content.decode(), re.S
    )
    assert tables
    return tables


def _withheld_answer_changes_nothing(response, read) -> None:
    """Change the withheld answer from 1 to 5: if any shown figure moves, it can be recovered."""
    SurveyAnswer.objects.filter(response=response).update(score=1)
    low = read()
    SurveyAnswer.objects.filter(response=response).update(score=5)
    high = read()
    assert low == high


def test_the_school_cannot_subtract_quarters_from_the_total(school_a, liaison_a, client):
    for _ in range(5):
        _answer(evaluation_for(make_employment(school_a), "2026Q3"), T2S, 4)
    lone = _answer(evaluation_for(make_employment(school_a), "2026Q2"), T2S, 1)

    table = survey_results_for_school(school=school_a)
    quarters = [round_.quarter for round_ in table.rounds]
    for _question, cells, total in table.rows:
        assert not cells[quarters.index("2026Q2")].shown
        assert str(cells[quarters.index("2026Q3")].average) == "4.0"
        # The total rests on the shown quarter alone: 6 × 3.5 − 5 × 4.0 no longer works.
        assert total.shown and str(total.average) == "4.0"
    client.force_login(liaison_a)
    page = client.get(reverse("evaluations:school_results")).content.decode()
    assert "(5)" not in page and "(6)" not in page  # no exact answer counts

    _withheld_answer_changes_nothing(
        lone, lambda: _shown(survey_results_for_school(school=school_a))
    )
    _withheld_answer_changes_nothing(
        lone, lambda: _tables(client.get(reverse("evaluations:school_results")))
    )


def test_the_teacher_cannot_subtract_quarters_from_the_total(teacher_x, client):
    for index in range(5):
        school = SchoolMembershipFactory().school
        start = date(2026, 7, 1 + 5 * index)
        employment = make_employment(
            school, teacher=teacher_x, start=start, end=date(2027, 6, 30), ended_on=start
        )
        _answer(evaluation_for(employment), S2T, 4)
    earlier = make_employment(
        SchoolMembershipFactory().school,
        teacher=teacher_x,
        start=date(2026, 4, 1),
        end=date(2026, 6, 30),
        ended_on=date(2026, 6, 30),
    )
    lone = _answer(evaluation_for(earlier, "2026Q2"), S2T, 1)

    table = survey_results_for_teacher(teacher=teacher_x)
    assert all(total.shown and str(total.average) == "4.0" for _q, _c, total in table.rows)
    client.force_login(teacher_x.user)
    url = reverse("evaluations:teacher_list")
    _withheld_answer_changes_nothing(
        lone, lambda: _shown(survey_results_for_teacher(teacher=teacher_x))
    )
    _withheld_answer_changes_nothing(lone, lambda: _tables(client.get(url)))


def test_the_city_bureau_cannot_subtract_shown_districts_from_the_city(
    bureau_city_user, bureau_xihu_user, client
):
    xihu = District.objects.get(code="330106")
    gongshu = District.objects.get(code="330105")
    for _ in range(5):
        _answer(evaluation_for(make_employment(SchoolFactory(district=xihu))), T2S, 4)
    lone = _answer(evaluation_for(make_employment(SchoolFactory(district=gongshu))), T2S, 1)

    def read():
        return [
            _shown(survey_results_for_bureau(user=user, direction=T2S, district=district))
            for user, district in (
                (bureau_city_user, None),
                (bureau_city_user, xihu),
                (bureau_city_user, gongshu),
                (bureau_xihu_user, None),
            )
        ]

    city, xihu_figures, gongshu_figures, _own = read()
    assert city == xihu_figures  # the city figure leaves out Gongshu's one answer
    assert not any(average for row in gongshu_figures for average in row)
    _withheld_answer_changes_nothing(lone, read)
    client.force_login(bureau_city_user)
    url = reverse("evaluations:bureau_surveys")
    _withheld_answer_changes_nothing(
        lone, lambda: [_tables(client.get(url, {"district": d})) for d in ("", xihu.pk, gongshu.pk)]
    )


def test_the_threshold_counts_people_not_answers(bureau_xihu_user):
    # One school answering about five teachers is one respondent, not five.
    school = SchoolMembershipFactory().school
    for _ in range(5):
        _answer(evaluation_for(make_employment(school, teacher=TeacherFactory())), S2T, 2)
    table = survey_results_for_bureau(user=bureau_xihu_user, direction=S2T)
    assert not any(average for row in _shown(table) for average in row)
    assert table.rows[0][2].count == 5  # five answers, kept out of every average

    for _ in range(4):
        other = SchoolMembershipFactory().school
        _answer(evaluation_for(make_employment(other, teacher=TeacherFactory())), S2T, 4)
    table = survey_results_for_bureau(user=bureau_xihu_user, direction=S2T)
    assert all(str(total.average) == "2.9" for _q, _c, total in table.rows)  # (5×2 + 4×4) / 9

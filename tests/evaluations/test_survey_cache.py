"""The cached survey tables: each write a reader would see changes the page, and no scope
ever sees another's tables."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from apps.core.models import District
from apps.core.selectors import policy_settings_get
from apps.evaluations.models import (
    SurveyDirection,
    SurveyQuestion,
    SurveyResponse,
)
from apps.evaluations.selectors.surveys import survey_tables_for_bureau
from apps.evaluations.services import survey_submit
from tests.schools.factories import SchoolFactory, SchoolMembershipFactory
from tests.teachers.factories import TeacherFactory

from .factories import evaluation_for, make_employment, open_round

T2S = SurveyDirection.TEACHER_ABOUT_SCHOOL
S2T = SurveyDirection.SCHOOL_ABOUT_TEACHER

pytestmark = pytest.mark.usefixtures("_in_october")


@pytest.fixture
def _in_october():
    with time_machine.travel(date(2026, 10, 10)):
        yield


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write as a request does: its after-commit work (the version bump) included."""

    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


def _scores(direction, score):
    return {q.pk: score for q in SurveyQuestion.objects.filter(direction=direction, is_active=True)}


def _new_teacher_at(school):
    """A new teacher's evaluation at `school` (the round topped up: a write of its own)."""
    return evaluation_for(make_employment(school, teacher=TeacherFactory()))


def _teacher_answers(school, score, evaluation=None):
    evaluation = evaluation or _new_teacher_at(school)
    return survey_submit(
        actor=evaluation.teacher.user,
        evaluation=evaluation,
        direction=T2S,
        scores=_scores(T2S, score),
    )


def _tables(response) -> list[list[str]]:
    """Per survey table on the page, its "all quarters" column: an average or "-" (withheld)."""
    tables = re.findall(
        r'<table[^>]*data-testid="survey-table".*?</table>', response.content.decode(), re.S
    )
    return [
        [cell.strip() or "-" for cell in re.findall(r'data-testid="survey-total">([^<]*)<', t)]
        for t in tables
    ]


def _first_total(response) -> str:
    return _tables(response)[0][0]


@pytest.fixture
def xihu_school(school_a):
    for _ in range(5):
        _teacher_answers(school_a, 4)
    return school_a


def test_the_bureau_page_changes_after_each_write_it_shows(
    client, committed, xihu_school, bureau_xihu_user, bureau_city_user
):
    url = reverse("evaluations:bureau_surveys")
    sixth = _new_teacher_at(xihu_school)
    client.force_login(bureau_city_user)
    assert _first_total(client.get(url)) == "4.0"
    client.force_login(bureau_xihu_user)
    assert _first_total(client.get(url)) == "4.0"
    assert _first_total(client.get(url)) == "4.0"  # read from the cache

    # A survey answered through the service: the district's and the city's tables change.
    committed(_teacher_answers, xihu_school, 1, evaluation=sixth)
    assert _first_total(client.get(url)) == "3.5"  # (5 × 4 + 1) / 6
    client.force_login(bureau_city_user)
    assert _first_total(client.get(url)) == "3.5"
    client.force_login(bureau_xihu_user)

    # A response deleted (the admin, an erasure).
    committed(SurveyResponse.objects.filter(answers__score=1).first().delete)
    assert _first_total(client.get(url)) == "4.0"

    # The center rewords a question.
    question = SurveyQuestion.objects.filter(direction=T2S, is_active=True).first()
    question.text_en = "How welcome did the school make you feel?"
    committed(question.save)
    assert "How welcome did the school make you feel?" in client.get(url).content.decode()

    # The privacy threshold is raised above the five respondents.
    policy = policy_settings_get()
    policy.survey_privacy_threshold = 6
    committed(policy.save)
    assert _first_total(client.get(url)) == "-"
    policy.survey_privacy_threshold = 5
    committed(policy.save)

    # A new quarter's round opens: its column appears.
    assert "2026Q4" not in client.get(url).content.decode()
    committed(open_round, "2026Q4")
    assert "2026Q4" in client.get(url).content.decode()

    # The school moves to Gongshu: its answers leave Xihu's figures.
    xihu_school.district = District.objects.get(code="330105")
    committed(xihu_school.save)
    assert _first_total(client.get(url)) == "-"


def test_the_cached_tables_speak_the_readers_language(client, xihu_school, bureau_xihu_user):
    question = SurveyQuestion.objects.filter(direction=T2S, is_active=True).first()
    client.force_login(bureau_xihu_user)
    english = client.get(reverse("evaluations:bureau_surveys")).content.decode()
    with translation.override("zh-hans"):
        url = reverse("evaluations:bureau_surveys")
    chinese = client.get(url).content.decode()
    assert question.text_en in english and question.text_zh_hans not in english
    assert question.text_zh_hans in chinese


def test_another_jurisdiction_never_sees_the_cached_tables(
    client, xihu_school, bureau_xihu_user, bureau_city_user
):
    gongshu = District.objects.get(code="330105")
    gongshu_school = SchoolFactory(district=gongshu)
    for _ in range(5):
        _teacher_answers(gongshu_school, 2)
    gongshu_user = SchoolMembershipFactory().user  # a school's staff: no bureau page at all
    url = reverse("evaluations:bureau_surveys")

    client.force_login(bureau_xihu_user)
    assert _first_total(client.get(url)) == "4.0"
    # Asking for another district is refused by the form: still only Xihu's figures.
    refused = client.get(url, {"district": gongshu.code})
    assert refused.status_code == 400 and _first_total(refused) == "4.0"
    # Asked directly, another district's schools give nothing, and the cache is not poisoned.
    assert (
        survey_tables_for_bureau(user=bureau_xihu_user, district=gongshu)[0].rows[0][2].count == 0
    )
    assert _first_total(client.get(url)) == "4.0"

    client.force_login(bureau_city_user)
    assert _first_total(client.get(url, {"district": gongshu.code})) == "2.0"
    assert _first_total(client.get(url)) == "3.0"  # the city: both districts
    client.force_login(gongshu_user)
    assert client.get(url).status_code == 403


def test_the_school_sees_its_own_cached_table_and_new_answers(
    client, committed, xihu_school, liaison_a, school_b, liaison_b
):
    url = reverse("evaluations:school_results")
    sixth = _new_teacher_at(xihu_school)
    client.force_login(liaison_a)
    assert _first_total(client.get(url)) == "4.0"
    client.force_login(liaison_b)
    assert _first_total(client.get(url)) == "-"  # school B's own (empty) table, not A's

    committed(_teacher_answers, xihu_school, 1, evaluation=sixth)
    client.force_login(liaison_a)
    assert _first_total(client.get(url)) == "3.5"


def _short_contracts(teacher, count):
    """`count` schools, each with a short contract of `teacher` in 2026Q3: their evaluations."""
    evaluations = []
    for index in range(count):
        school = SchoolMembershipFactory().school
        start = date(2026, 7, 1 + 5 * index)
        employment = make_employment(
            school, teacher=teacher, start=start, end=date(2027, 6, 30), ended_on=start
        )
        evaluations.append(evaluation_for(employment))
    return evaluations


def _schools_answer(evaluations, score):
    for evaluation in evaluations:
        survey_submit(
            actor=evaluation.school.memberships.get().user,
            evaluation=evaluation,
            direction=S2T,
            scores=_scores(S2T, score),
        )


def test_the_teacher_sees_their_own_cached_table_and_new_answers(
    client, committed, teacher_x, teacher_y
):
    *five, sixth = _short_contracts(teacher_x, 6)
    _schools_answer(five, 5)
    url = reverse("evaluations:teacher_list")
    client.force_login(teacher_x.user)
    assert _first_total(client.get(url)) == "5.0"
    client.force_login(teacher_y.user)
    assert _first_total(client.get(url)) == "-"  # their own (empty) table, not Emma's

    committed(_schools_answer, [sixth], 2)
    client.force_login(teacher_x.user)
    assert _first_total(client.get(url)) == "4.5"  # (5 × 5 + 2) / 6

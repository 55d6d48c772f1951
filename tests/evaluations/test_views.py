import re
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from apps.evaluations.caching import survey_results_changed
from apps.evaluations.models import (
    Evaluation,
    EvaluationStatus,
    SurveyDirection,
    SurveyQuestion,
)
from apps.evaluations.services import evaluation_reopen, survey_submit
from tests.schools.factories import SchoolMembershipFactory
from tests.teachers.factories import TeacherFactory

from .factories import GOOD, evaluation_for, make_employment, submitted

pytestmark = pytest.mark.usefixtures("_after_the_deadline")


@pytest.fixture
def _after_the_deadline():
    # 2026Q3's deadline is 31 October: on 10 November open evaluations are late.
    with time_machine.travel(date(2026, 11, 10)):
        yield


@pytest.fixture
def pair(employment_a, employment_b, liaison_a, liaison_b):
    """School A's evaluation (submitted) and school B's (still open, so late)."""
    return submitted(evaluation_for(employment_a), liaison_a), evaluation_for(employment_b)


def _zh(name, *args):
    with translation.override("zh-hans"):
        return reverse(name, args=args)


def _status(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


def test_schools_see_only_their_own_evaluations(client, pair, liaison_a, liaison_b):
    mine, theirs = pair
    client.force_login(liaison_a)
    page = client.get(reverse("evaluations:school_list")).content.decode()
    assert mine.teacher.legal_name in page and theirs.teacher.legal_name not in page
    for name in ("evaluations:school_detail", "evaluations:school_survey"):
        assert client.get(reverse(name, args=[theirs.code])).status_code == 404
        assert client.post(reverse(name, args=[theirs.code]), GOOD).status_code == 404
    assert Evaluation.objects.get(pk=theirs.pk).law_compliance_score is None


def test_teachers_see_only_their_own_submitted_evaluations(client, pair, teacher_x, teacher_y):
    mine, theirs = pair
    assert (
        _status(client, teacher_x.user, reverse("evaluations:teacher_detail", args=[mine.code]))
        == 200
    )
    # Teacher Y's evaluation is still a draft: not even Y sees it yet, and X never does.
    for user in (teacher_x.user, teacher_y.user):
        assert (
            _status(client, user, reverse("evaluations:teacher_detail", args=[theirs.code])) == 404
        )
    assert (
        _status(client, teacher_y.user, reverse("evaluations:teacher_detail", args=[mine.code]))
        == 404
    )
    assert (
        _status(client, teacher_y.user, reverse("evaluations:teacher_survey", args=[mine.code]))
        == 404
    )
    client.force_login(teacher_y.user)
    response = client.post(
        reverse("evaluations:teacher_detail", args=[mine.code]), {"response": "x"}
    )
    assert response.status_code == 404
    page = client.get(reverse("evaluations:teacher_list")).content.decode()
    assert mine.school.name not in page.split("Satisfaction surveys")[0]


def test_every_page_is_closed_to_the_wrong_role(
    client, pair, liaison_a, teacher_x, center_user, bureau_xihu_user
):
    mine, _theirs = pair
    school_urls = [
        reverse("evaluations:school_list"),
        reverse("evaluations:school_results"),
        reverse("evaluations:school_detail", args=[mine.code]),
        reverse("evaluations:school_survey", args=[mine.code]),
    ]
    teacher_urls = [
        reverse("evaluations:teacher_list"),
        reverse("evaluations:teacher_detail", args=[mine.code]),
        reverse("evaluations:teacher_survey", args=[mine.code]),
    ]
    center_urls = [
        reverse("evaluations:center_late"),
        reverse("evaluations:center_assessments"),
        reverse("evaluations:center_detail", args=[mine.code]),
        reverse("evaluations:center_assess", args=["2026Q3", mine.school.code]),
    ]
    bureau_urls = [reverse("evaluations:bureau_late"), reverse("evaluations:bureau_surveys")]
    owners = {
        liaison_a: school_urls,
        teacher_x.user: teacher_urls,
        center_user: center_urls,
        bureau_xihu_user: bureau_urls,
    }
    for user, own in owners.items():
        for url in own:
            assert _status(client, user, url) == 200, url
        for other, urls in owners.items():
            if other is not user:
                for url in urls:
                    assert _status(client, user, url) == 403, (user.role, url)
    client.logout()
    assert client.get(school_urls[0]).status_code == 302


def test_bureaus_see_late_evaluations_only_in_their_district(
    client, pair, bureau_xihu_user, bureau_city_user
):
    mine, theirs = pair
    a_late = evaluation_for(make_employment(mine.school, teacher=TeacherFactory()))
    client.force_login(bureau_xihu_user)
    response = client.get(reverse("evaluations:bureau_late"))
    assert [e.pk for e in response.context["page"]] == [a_late.pk]
    assert theirs.school.name not in response.content.decode()
    # Asking for another district is refused: the list stays inside the jurisdiction.
    response = client.get(reverse("evaluations:bureau_late"), {"district": "330105"})
    assert response.status_code == 400
    assert [e.pk for e in response.context["page"]] == [a_late.pk]

    client.force_login(bureau_city_user)
    response = client.get(reverse("evaluations:bureau_late"), {"district": "330105"})
    assert [e.pk for e in response.context["page"]] == [theirs.pk]
    response = client.get(reverse("evaluations:bureau_late"), {"school": "Xihu"})
    assert [e.pk for e in response.context["page"]] == [a_late.pk]


def test_the_center_filters_late_evaluations_and_reopens_with_a_reason(client, pair, center_user):
    mine, theirs = pair
    client.force_login(center_user)
    response = client.get(
        reverse("evaluations:center_late"), {"district": "330105", "round": "2026Q3"}
    )
    assert [e.pk for e in response.context["page"]] == [theirs.pk]

    url = reverse("evaluations:center_detail", args=[mine.code])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    response = client.post(url, {"reason": "Wrong teacher"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == EvaluationStatus.DRAFT and mine.reopen_reason == "Wrong teacher"


def test_bad_input_is_refused_in_chinese_and_the_form_keeps_it(client, employment_a, liaison_a):
    evaluation = evaluation_for(employment_a)
    client.force_login(liaison_a)
    url = _zh("evaluations:school_detail", evaluation.code)
    data = GOOD | {"daily_conduct_score": 6, "overall_comment": "保留我的输入", "submit": "1"}

    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "保留我的输入" in page
    assert "选择一个有效的选项" in page  # Django's "Select a valid choice", in Chinese

    data = GOOD | {"serious_incident": "on", "incident_description": "", "submit": "1"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "请描述该严重事件" in response.content.decode()

    assert client.post(url, GOOD | {"submit": "1"}).status_code == 302
    response = client.post(url, GOOD | {"overall_comment": "改一下", "save": "1"})
    assert response.status_code == 400
    assert "已提交，不能再修改" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.overall_comment == GOOD["overall_comment"]


def _rows(school, count):
    for _ in range(count):
        evaluation_for(make_employment(school, teacher=TeacherFactory()))


def _same_queries(client, url, grow, django_assert_num_queries, **params):
    with CaptureQueriesContext(connection) as first:
        assert client.get(url, params).status_code == 200
    grow()
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url, params)
    return response


def test_list_pages_use_a_fixed_number_of_queries(
    client,
    employment_a,
    liaison_a,
    teacher_x,
    center_user,
    bureau_xihu_user,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    school = employment_a.school
    _rows(school, 2)
    submitted(evaluation_for(employment_a), liaison_a)
    client.force_login(liaison_a)
    client.get(reverse("evaluations:school_list"), {"state": "done"})  # caches the inbox badge

    def committed_school_rows():
        # The list is cached until a committed write retires it: both reads compute it.
        with django_capture_on_commit_callbacks(execute=True):
            _rows(school, 3)

    response = _same_queries(
        client,
        reverse("evaluations:school_list"),
        committed_school_rows,
        django_assert_num_queries,
    )
    assert response.content.decode().count('data-testid="evaluation-row"') == 6

    def rows_and_answers(count):
        _rows(school, count)
        survey_results_changed()  # as a new answer does: the survey tables are computed again

    _same_queries(
        client,
        reverse("evaluations:school_results"),
        lambda: rows_and_answers(1),
        django_assert_num_queries,
    )

    client.force_login(center_user)

    def committed_late_rows():
        # The center's late list is cached until a committed write retires it.
        with django_capture_on_commit_callbacks(execute=True):
            _rows(school, 3)

    url = reverse("evaluations:center_late")
    client.get(url, {"page": "2"})  # caches the inbox badge's count, not the first page
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    committed_late_rows()
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('data-testid="late-row"') == 9
    others = [SchoolMembershipFactory().school for _ in range(3)]
    _rows(others[0], 1)
    response = _same_queries(
        client,
        reverse("evaluations:center_assessments"),
        lambda: [_rows(s, 2) for s in others[1:]],
        django_assert_num_queries,
    )
    assert len(response.context["rows"]) == 4

    client.force_login(bureau_xihu_user)
    client.get(reverse("evaluations:bureau_late"), {"page": "2"})  # caches the inbox badge

    def committed_rows():
        # The bureau's late list is cached until a committed write retires it.
        with django_capture_on_commit_callbacks(execute=True):
            _rows(school, 2)

    _same_queries(
        client,
        reverse("evaluations:bureau_late"),
        committed_rows,
        django_assert_num_queries,
    )
    _same_queries(
        client,
        reverse("evaluations:bureau_surveys"),
        lambda: rows_and_answers(2),
        django_assert_num_queries,
    )

    client.force_login(teacher_x.user)
    other = SchoolMembershipFactory().school
    employment_a.status = "ended"
    employment_a.ended_on = date(2026, 7, 5)
    employment_a.save()

    def more():
        employment = make_employment(other, teacher=teacher_x, start=date(2026, 8, 1))
        submitted(evaluation_for(employment), other.memberships.get().user)
        survey_results_changed()  # as a new answer does: the survey table is computed again

    response = _same_queries(
        client, reverse("evaluations:teacher_list"), more, django_assert_num_queries
    )
    assert len(response.context["evaluations"]) == 2


def test_the_school_dashboard_counts_open_late_and_done(client, pair, liaison_a, liaison_b):
    client.force_login(liaison_b)
    page = client.get(reverse("dashboards:school"))
    assert page.context["evaluation_counts"] == {"open": 0, "late": 1, "done": 0}
    client.force_login(liaison_a)
    assert client.get(reverse("dashboards:school")).context["evaluation_counts"] == {
        "open": 0,
        "late": 0,
        "done": 1,
    }


def _tab_counts(page):
    return {
        state: int(re.search(rf'data-testid="count-{state}">(\d+)<', page).group(1))
        for state in ("open", "late", "done")
    }


def test_the_cached_school_list_follows_the_survey_the_center_and_the_date(
    client, employment_a, liaison_a, center_user, django_capture_on_commit_callbacks
):
    url = reverse("evaluations:school_list")
    survey_url = reverse("evaluations:school_survey", args=[evaluation_for(employment_a).code])
    client.force_login(liaison_a)
    with time_machine.travel(date(2026, 10, 20)):  # before 2026Q3's deadline (31 October)
        evaluation = evaluation_for(employment_a)
        before = client.get(url).content.decode()
        scores = {
            q.pk: 4
            for q in SurveyQuestion.objects.filter(
                direction=SurveyDirection.SCHOOL_ABOUT_TEACHER, is_active=True
            )
        }
        with django_capture_on_commit_callbacks(execute=True):
            submitted(evaluation, liaison_a)
        done = client.get(url).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            survey_submit(
                actor=liaison_a,
                evaluation=evaluation,
                direction=SurveyDirection.SCHOOL_ABOUT_TEACHER,
                scores=scores,
            )
        answered = client.get(url).content.decode()
        dashboard_done = client.get(reverse("dashboards:school")).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            evaluation_reopen(actor=center_user, evaluation=evaluation, reason="Scores mixed up")
        reopened = client.get(url).content.decode()
        dashboard_reopened = client.get(reverse("dashboards:school")).content.decode()
    late = client.get(url).content.decode()  # 10 November

    assert _tab_counts(before) == {"open": 1, "late": 0, "done": 0}
    assert survey_url in before
    assert _tab_counts(done) == {"open": 0, "late": 0, "done": 1}
    assert survey_url in done
    assert survey_url not in answered
    assert _tab_counts(reopened) == {"open": 1, "late": 0, "done": 0}
    assert _tab_counts(late) == {"open": 0, "late": 1, "done": 0}
    # The school dashboard's figures count the same (a reopening is a status move only).
    assert 'data-testid="evaluations-done">1<' in dashboard_done
    assert 'data-testid="evaluations-open">1<' in dashboard_reopened

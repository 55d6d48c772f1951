"""Hard rules end to end: a barred teacher never shows up in a run, a suggestion or a list."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from apps.applications.models import Application
from apps.core.models import District
from apps.matching import services
from apps.matching.models import (
    MatchRun,
    MatchSuggestion,
    RecommendationStatus,
    RunKind,
    RunStatus,
)
from apps.matching.selectors import (
    recommendation_get_for_school,
    recommendations_for_vacancy,
    teacher_suggested_vacancies,
)
from apps.notifications.models import Notification
from apps.teachers.models import TeacherStatus
from tests.applications.factories import ApplicationFactory
from tests.applications.factories import english_vacancy as vacancy_at
from tests.credit.factories import restriction_create
from tests.matching.factories import XIHU, english_teacher, english_vacancy

pytestmark = pytest.mark.django_db

OTHER_DISTRICT = "330105"


def _blacklist(teacher, center_user, **dates) -> None:
    restriction_create(
        teacher=teacher,
        reason="Fraud",
        starts_on=dates.get("starts_on", timezone.localdate()),
        ends_on=dates.get("ends_on"),
        created_by=center_user,
    )


def _unverify(teacher) -> None:
    teacher.status = TeacherStatus.PENDING
    teacher.save()


def _opt_out(teacher) -> None:
    teacher.open_to_suggestions = False
    teacher.save()


def _bar(how: str, teacher, center_user) -> None:
    if how == "blacklist":
        _blacklist(teacher, center_user)
    elif how == "unverify":
        _unverify(teacher)
    else:
        _opt_out(teacher)


@pytest.fixture
def market(center_user, school_a, liaison_a):
    good = [english_teacher() for _ in range(2)]
    barred, unverified, opted_out = english_teacher(), english_teacher(), english_teacher()
    _blacklist(barred, center_user)
    _unverify(unverified)
    _opt_out(opted_out)
    # Served their time: no longer barred.
    forgiven = english_teacher()
    today = timezone.localdate()
    _blacklist(
        forgiven,
        center_user,
        starts_on=today - timedelta(days=400),
        ends_on=today - timedelta(days=1),
    )
    vacancies = [
        vacancy_at(school=school_a, created_by=liaison_a),
        english_vacancy(),
        english_vacancy(district_code=OTHER_DISTRICT),
    ]
    excluded = [barred, unverified, opted_out]
    # Everyone applied everywhere this season, the excluded teachers too.
    for teacher in [*good, forgiven, *excluded]:
        for vacancy in vacancies:
            ApplicationFactory(teacher=teacher, vacancy=vacancy)
    return {
        "good": [*good, forgiven],
        "excluded": excluded,
        "vacancies": vacancies,
    }


def _execute(run: MatchRun) -> MatchRun:
    run = services.match_run_execute(run_id=run.pk)
    assert run.status == RunStatus.DONE, run.failure_reason
    return run


def _every_run_kind(center_user, market) -> list[MatchRun]:
    today = timezone.localdate()
    xihu = District.objects.get(code=XIHU)
    runs = [
        services.match_run_start(actor=center_user, queue=False),
        services.match_run_start(actor=center_user, district=xihu, queue=False),
        services.match_run_start(
            actor=center_user,
            kind=RunKind.STABLE,
            season_start=today - timedelta(days=7),
            season_end=today,
            queue=False,
        ),
    ]
    runs += [services.incremental_run_start(vacancy=v) for v in market["vacancies"]]
    runs += [
        services.incremental_run_start(teacher=t) for t in [*market["good"], *market["excluded"]]
    ]
    return [_execute(run) for run in runs]


def test_no_run_of_any_kind_includes_a_barred_teacher(center_user, market):
    runs = _every_run_kind(center_user, market)
    assert {run.kind for run in runs} == {RunKind.FULL, RunKind.STABLE, RunKind.INCREMENTAL}
    excluded = {t.pk for t in market["excluded"]}
    for run in runs:
        seen = set(MatchSuggestion.objects.filter(run=run).values_list("teacher_id", flat=True))
        assert not seen & excluded, run
        if run.teacher_id in excluded:
            assert run.counts["suggestions"] == 0
        elif run.teacher_id is None:
            # Everyone else, the forgiven teacher included, is there.
            assert seen == {t.pk for t in market["good"]}, run


def test_a_district_run_only_has_that_districts_vacancies(center_user, market):
    xihu = District.objects.get(code=XIHU)
    run = _execute(services.match_run_start(actor=center_user, district=xihu, queue=False))
    vacancy_ids = set(MatchSuggestion.objects.filter(run=run).values_list("vacancy_id", flat=True))
    assert vacancy_ids == {v.pk for v in market["vacancies"][:2]}
    assert run.counts["posts"] == 2


@pytest.mark.parametrize("bar", ["blacklist", "unverify", "opt_out"])
def test_a_teacher_barred_after_the_push_disappears_everywhere(bar, center_user, market, liaison_a):
    good, later_barred = market["good"][0], market["good"][1]
    vacancy = market["vacancies"][0]
    # A suggestion is pushed only to a teacher who has not applied yet.
    Application.objects.filter(vacancy=vacancy).delete()
    run = _execute(services.match_run_start(actor=center_user, queue=False))
    with_ids = MatchSuggestion.objects.filter(
        run=run, vacancy=vacancy, teacher__in=[good, later_barred]
    )
    assert (
        services.recommendations_push(
            actor=center_user, run=run, suggestion_ids=list(with_ids.values_list("pk", flat=True))
        ).pushed
        == 2
    )
    assert {v.vacancy.pk for v in teacher_suggested_vacancies(user=later_barred.user)}
    barred_recommendation = later_barred.recommendations.get()

    _bar(bar, later_barred, center_user)

    shown = recommendations_for_vacancy(user=liaison_a, vacancy=vacancy)
    assert [r.teacher_id for r in shown] == [good.pk]
    with pytest.raises(Http404):
        recommendation_get_for_school(user=liaison_a, code=barred_recommendation.code)
    assert teacher_suggested_vacancies(user=later_barred.user) == []
    assert teacher_suggested_vacancies(user=good.user)  # the others still see theirs
    # A later run and a later push leave them out too.
    later = _execute(services.match_run_start(actor=center_user, queue=False))
    assert not MatchSuggestion.objects.filter(run=later, teacher=later_barred).exists()


def test_excluded_teachers_see_no_suggestions(center_user, market):
    # Vacancies a teacher applied to are not suggested to them: free one for everyone.
    Application.objects.filter(vacancy=market["vacancies"][1]).delete()
    _every_run_kind(center_user, market)
    for teacher in market["excluded"]:
        assert teacher_suggested_vacancies(user=teacher.user) == []
    for teacher in market["good"]:
        assert teacher_suggested_vacancies(user=teacher.user)


@pytest.mark.parametrize("bar", ["blacklist", "unverify", "opt_out"])
def test_a_school_cannot_invite_a_teacher_barred_after_the_push(
    bar, center_user, market, liaison_a
):
    """The service keeps the rule itself, whatever page (or stale form) calls it."""
    teacher, vacancy = market["good"][0], market["vacancies"][0]
    Application.objects.filter(vacancy=vacancy).delete()  # pushed only before applying
    run = _execute(services.match_run_start(actor=center_user, queue=False))
    suggestion = MatchSuggestion.objects.get(run=run, vacancy=vacancy, teacher=teacher)
    services.recommendations_push(actor=center_user, run=run, suggestion_ids=[suggestion.pk])
    recommendation = teacher.recommendations.get()
    _bar(bar, teacher, center_user)

    with pytest.raises(ValidationError):
        services.recommendation_invite(actor=liaison_a, recommendation=recommendation)

    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.PUSHED
    assert not Notification.objects.filter(recipient=teacher.user, kind="matching").exists()

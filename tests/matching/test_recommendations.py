"""Pushing a run's suggestions to schools, and what schools and teachers then do with them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from apps.applications.models import Application, ApplicationStatus
from apps.core.models import AuditEvent
from apps.matching import services
from apps.matching.models import (
    MatchRun,
    MatchSuggestion,
    Recommendation,
    RecommendationKind,
    RecommendationStatus,
    RunKind,
    RunStatus,
)
from apps.matching.selectors import recommendations_for_vacancy
from apps.matching.services.recommendations import PUSHED_TITLE
from apps.notifications.models import Notification
from tests.applications.factories import ApplicationFactory, english_vacancy
from tests.credit.factories import restriction_create
from tests.matching.factories import english_teacher

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(school_a, liaison_a, school_b, liaison_b):
    teachers = [english_teacher() for _ in range(3)]
    vacancy_a = english_vacancy(school=school_a, created_by=liaison_a)
    vacancy_b = english_vacancy(school=school_b, created_by=liaison_b)
    return {"teachers": teachers, "a": vacancy_a, "b": vacancy_b}


def _done_run(center_user) -> MatchRun:
    run = services.match_run_start(actor=center_user, queue=False)
    run = services.match_run_execute(run_id=run.pk)
    assert run.status == RunStatus.DONE, run.failure_reason
    return run


@pytest.fixture
def run(center_user, market):
    return _done_run(center_user)


def _pair(run, teacher, vacancy) -> MatchSuggestion:
    return MatchSuggestion.objects.get(run=run, teacher=teacher, vacancy=vacancy)


def _push(center_user, run, *pairs) -> int:
    return services.recommendations_push(
        actor=center_user, run=run, suggestion_ids=[_pair(run, t, v).pk for t, v in pairs]
    ).pushed


def _recommendation(teacher, vacancy) -> Recommendation:
    return Recommendation.objects.get(teacher=teacher, vacancy=vacancy)


def _pushed_title(count: int, vacancy, language: str) -> str:
    with translation.override(language):
        return str(PUSHED_TITLE % {"count": count, "vacancy": vacancy.title})


def _matching_notes(user) -> int:
    return Notification.objects.filter(recipient=user, kind="matching").count()


def test_only_center_staff_push(run, market, liaison_a, teacher_user, school_user):
    suggestion = _pair(run, market["teachers"][0], market["a"])
    for actor in (liaison_a, teacher_user, school_user):
        with pytest.raises(PermissionDenied):
            services.recommendations_push(actor=actor, run=run, suggestion_ids=[suggestion.pk])
    assert not Recommendation.objects.exists()


def test_only_a_finished_run_is_pushed(center_user, run, market):
    suggestion = _pair(run, market["teachers"][0], market["a"])
    MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    run.refresh_from_db()
    with pytest.raises(ValidationError, match="finished run"):
        services.recommendations_push(actor=center_user, run=run, suggestion_ids=[suggestion.pk])
    assert not Recommendation.objects.exists()


def test_a_push_needs_a_suggestion_of_that_run(center_user, run, market):
    other = _done_run(center_user)
    foreign = _pair(other, market["teachers"][0], market["a"])
    for ids in ([], [foreign.pk]):
        with pytest.raises(ValidationError, match="at least one"):
            services.recommendations_push(actor=center_user, run=run, suggestion_ids=ids)
    assert not Recommendation.objects.exists()


def test_push_shows_only_the_selected_pairs_and_tells_each_school_once(
    center_user, run, market, liaison_a, liaison_b
):
    t0, t1, t2 = market["teachers"]
    pushed = _push(center_user, run, (t0, market["a"]), (t1, market["a"]), (t2, market["b"]))
    assert pushed == 3
    assert set(Recommendation.objects.values_list("teacher_id", "vacancy_id")) == {
        (t0.pk, market["a"].pk),
        (t1.pk, market["a"].pk),
        (t2.pk, market["b"].pk),
    }
    recommendation = _recommendation(t0, market["a"])
    suggestion = _pair(run, t0, market["a"])
    assert recommendation.kind == RecommendationKind.SUGGESTION
    assert recommendation.status == RecommendationStatus.PUSHED
    assert recommendation.run == run and recommendation.pushed_by == center_user
    assert recommendation.score == suggestion.score
    assert recommendation.components == suggestion.components
    assert recommendation.weights == run.weights
    assert _matching_notes(liaison_a) == 1 and _matching_notes(liaison_b) == 1
    note = Notification.objects.get(recipient=liaison_a, kind="matching")
    assert note.title == _pushed_title(2, market["a"], note.language)
    assert str(market["a"].code) in note.url
    assert AuditEvent.objects.filter(action="matching.recommendation_pushed").count() == 3


def test_a_pair_still_pushed_is_refreshed_by_a_later_run(center_user, run, market):
    t0 = market["teachers"][0]
    _push(center_user, run, (t0, market["a"]))
    first = _recommendation(t0, market["a"])
    later = _done_run(center_user)
    assert _push(center_user, later, (t0, market["a"])) == 1
    refreshed = _recommendation(t0, market["a"])
    assert refreshed.pk == first.pk and refreshed.run == later
    assert refreshed.status == RecommendationStatus.PUSHED
    assert Recommendation.objects.count() == 1


def test_a_pair_already_acted_on_is_left_alone(center_user, run, market, liaison_a):
    t0, t1 = market["teachers"][:2]
    _push(center_user, run, (t0, market["a"]), (t1, market["a"]))
    services.recommendation_invite(actor=liaison_a, recommendation=_recommendation(t0, market["a"]))
    services.recommendation_dismiss(
        actor=liaison_a, recommendation=_recommendation(t1, market["a"])
    )
    notes_before = _matching_notes(liaison_a)
    later = _done_run(center_user)

    assert _push(center_user, later, (t0, market["a"]), (t1, market["a"])) == 0

    invited, dismissed = _recommendation(t0, market["a"]), _recommendation(t1, market["a"])
    assert (invited.status, invited.run) == (RecommendationStatus.INVITED, run)
    assert (dismissed.status, dismissed.run) == (RecommendationStatus.DISMISSED, run)
    assert _matching_notes(liaison_a) == notes_before  # nothing new to tell the school


def test_a_teacher_black_listed_since_the_run_is_not_pushed(center_user, run, market, liaison_a):
    t0, t1 = market["teachers"][:2]
    restriction_create(
        teacher=t0, reason="Fraud", starts_on=timezone.localdate(), created_by=center_user
    )
    assert _push(center_user, run, (t0, market["a"]), (t1, market["a"])) == 1
    assert not Recommendation.objects.filter(teacher=t0).exists()
    note = Notification.objects.get(recipient=liaison_a, kind="matching")
    assert note.title == _pushed_title(1, market["a"], note.language)


@pytest.fixture
def pushed(center_user, run, market):
    t0 = market["teachers"][0]
    _push(center_user, run, (t0, market["a"]))
    return _recommendation(t0, market["a"])


def test_only_the_vacancys_school_invites(pushed, liaison_b, center_user, market):
    for actor in (liaison_b, center_user, market["teachers"][0].user):
        with pytest.raises(PermissionDenied):
            services.recommendation_invite(actor=actor, recommendation=pushed)
    pushed.refresh_from_db()
    assert pushed.status == RecommendationStatus.PUSHED


def test_invite_tells_the_teacher_with_the_message(pushed, liaison_a, market):
    teacher = market["teachers"][0]
    invited = services.recommendation_invite(
        actor=liaison_a, recommendation=pushed, message="  We would love to meet you.  "
    )
    invited.refresh_from_db()
    assert invited.status == RecommendationStatus.INVITED
    assert invited.invited_by == liaison_a and invited.invited_at
    assert invited.message == "We would love to meet you."
    note = Notification.objects.get(recipient=teacher.user, kind="matching")
    assert note.body == "We would love to meet you."
    assert AuditEvent.objects.filter(
        action="matching.recommendation_invited", actor=liaison_a
    ).exists()
    # Inviting twice is refused in words.
    with pytest.raises(ValidationError, match="already"):
        services.recommendation_invite(actor=liaison_a, recommendation=invited)


def test_a_stable_round_proposal_cannot_be_invited(center_user, market, liaison_a):
    t0 = market["teachers"][0]
    application = ApplicationFactory(teacher=t0, vacancy=market["a"])
    today = timezone.localdate()
    stable = services.match_run_start(
        actor=center_user,
        kind=RunKind.STABLE,
        season_start=today - timedelta(days=7),
        season_end=today,
        queue=False,
    )
    stable = services.match_run_execute(run_id=stable.pk)
    assert _push(center_user, stable, (t0, market["a"])) == 1
    proposal = _recommendation(t0, market["a"])
    assert proposal.kind == RecommendationKind.PROPOSAL and proposal.application == application
    with pytest.raises(ValidationError, match="offer"):
        services.recommendation_invite(actor=liaison_a, recommendation=proposal)
    # Nor set aside with "not interested": the school answers the application itself.
    with pytest.raises(ValidationError, match="offer"):
        services.recommendation_dismiss(actor=liaison_a, recommendation=proposal)
    proposal.refresh_from_db()
    assert proposal.status == RecommendationStatus.PUSHED


def test_a_teacher_applies_with_one_click(pushed, market, liaison_a):
    teacher, other = market["teachers"][:2]
    with pytest.raises(PermissionDenied):
        services.recommendation_apply(actor=other.user, recommendation=pushed)
    with pytest.raises(PermissionDenied):
        services.recommendation_apply(actor=liaison_a, recommendation=pushed)

    application = services.recommendation_apply(actor=teacher.user, recommendation=pushed)

    assert application.teacher == teacher and application.vacancy == market["a"]
    assert application.status == ApplicationStatus.SUBMITTED
    assert Application.objects.filter(teacher=teacher).count() == 1
    pushed.refresh_from_db()
    assert pushed.status == RecommendationStatus.APPLIED and pushed.application == application
    assert AuditEvent.objects.filter(action="matching.recommendation_applied").exists()
    assert AuditEvent.objects.filter(action="application.submitted").exists()
    with pytest.raises(ValidationError, match="no longer open"):
        services.recommendation_apply(actor=teacher.user, recommendation=pushed)


def test_an_invited_teacher_applies(pushed, market, liaison_a):
    services.recommendation_invite(actor=liaison_a, recommendation=pushed)
    teacher = market["teachers"][0]
    services.recommendation_apply(actor=teacher.user, recommendation=pushed)
    pushed.refresh_from_db()
    assert pushed.status == RecommendationStatus.APPLIED


def test_a_teacher_declines_an_invitation_only(pushed, market, liaison_a):
    teacher, other = market["teachers"][:2]
    with pytest.raises(ValidationError, match="already"):
        services.recommendation_decline(actor=teacher.user, recommendation=pushed)
    services.recommendation_invite(actor=liaison_a, recommendation=pushed)
    with pytest.raises(PermissionDenied):
        services.recommendation_decline(actor=other.user, recommendation=pushed)
    with pytest.raises(PermissionDenied):
        services.recommendation_decline(actor=liaison_a, recommendation=pushed)
    declined = services.recommendation_decline(actor=teacher.user, recommendation=pushed)
    assert declined.status == RecommendationStatus.DECLINED
    assert AuditEvent.objects.filter(
        action="matching.recommendation_declined", actor=teacher.user
    ).exists()
    with pytest.raises(ValidationError, match="no longer open"):
        services.recommendation_apply(actor=teacher.user, recommendation=pushed)


def test_a_school_dismisses_a_suggestion(pushed, market, liaison_a, liaison_b):
    teacher = market["teachers"][0]
    with pytest.raises(PermissionDenied):
        services.recommendation_dismiss(actor=liaison_b, recommendation=pushed)
    with pytest.raises(PermissionDenied):
        services.recommendation_dismiss(actor=teacher.user, recommendation=pushed)
    dismissed = services.recommendation_dismiss(actor=liaison_a, recommendation=pushed)
    assert dismissed.status == RecommendationStatus.DISMISSED and dismissed.status_changed_at
    assert recommendations_for_vacancy(user=liaison_a, vacancy=market["a"]) == []
    assert AuditEvent.objects.filter(action="matching.recommendation_dismissed").exists()
    with pytest.raises(ValidationError, match="already"):
        services.recommendation_invite(actor=liaison_a, recommendation=pushed)
    with pytest.raises(ValidationError, match="no longer open"):
        services.recommendation_apply(actor=teacher.user, recommendation=pushed)


def test_an_invitation_cannot_be_dismissed(pushed, liaison_a):
    services.recommendation_invite(actor=liaison_a, recommendation=pushed)
    with pytest.raises(ValidationError, match="already invited"):
        services.recommendation_dismiss(actor=liaison_a, recommendation=pushed)


def test_a_teacher_who_already_applied_is_not_pushed_as_a_suggestion(
    run, market, center_user, liaison_a
):
    applied, fresh = market["teachers"][0], market["teachers"][1]
    ApplicationFactory(teacher=applied, vacancy=market["a"])
    pushed = _push(center_user, run, (applied, market["a"]), (fresh, market["a"]))
    assert pushed == 1
    shown = recommendations_for_vacancy(user=liaison_a, vacancy=market["a"])
    assert [r.teacher_id for r in shown] == [fresh.pk]


def test_applying_the_normal_way_closes_the_suggestion(
    run, market, center_user, liaison_a, django_capture_on_commit_callbacks
):
    from apps.applications.services import application_apply

    teacher = market["teachers"][0]
    _push(center_user, run, (teacher, market["a"]))
    with django_capture_on_commit_callbacks(execute=True):
        application = application_apply(actor=teacher.user, vacancy=market["a"])
    recommendation = _recommendation(teacher, market["a"])
    assert recommendation.status == RecommendationStatus.APPLIED
    assert recommendation.application == application
    with pytest.raises(ValidationError):
        services.recommendation_invite(actor=liaison_a, recommendation=recommendation)


def test_a_school_cannot_invite_a_candidate_who_already_applied(
    run, market, center_user, liaison_a
):
    teacher = market["teachers"][0]
    _push(center_user, run, (teacher, market["a"]))
    # An application that arrived without the signal (say, entered by the center).
    ApplicationFactory(teacher=teacher, vacancy=market["a"])
    with pytest.raises(ValidationError, match="already applied"):
        services.recommendation_invite(
            actor=liaison_a, recommendation=_recommendation(teacher, market["a"])
        )


def test_a_vacancy_closed_since_the_run_is_not_pushed(run, market, center_user, liaison_a):
    from apps.vacancies.models import Vacancy, VacancyStatus

    Vacancy.objects.filter(pk=market["b"].pk).update(status=VacancyStatus.CLOSED)
    pushed = _push(
        center_user, run, (market["teachers"][0], market["a"]), (market["teachers"][1], market["b"])
    )
    assert pushed == 1
    assert not Recommendation.objects.filter(vacancy=market["b"]).exists()


def test_the_school_hears_of_one_candidate_in_the_singular(run, market, center_user, liaison_a):
    _push(center_user, run, (market["teachers"][0], market["a"]))
    title = Notification.objects.get(recipient=liaison_a, kind="matching").title
    with translation.override(liaison_a.language):
        expected = str(PUSHED_TITLE % {"count": 1, "vacancy": market["a"].title})
    assert title == expected
    if liaison_a.language == "en":
        assert "1 candidate for" in title


def test_a_district_run_does_not_replace_a_teachers_city_wide_suggestions(run, market, center_user):
    from apps.matching.selectors import teacher_suggested_vacancies

    teacher = market["teachers"][0]
    before = {item.vacancy.pk for item in teacher_suggested_vacancies(user=teacher.user)}
    assert before == {market["a"].pk, market["b"].pk}
    district = market["a"].school.district
    services.match_run_execute(
        run_id=services.match_run_start(actor=center_user, district=district, queue=False).pk
    )
    after = {item.vacancy.pk for item in teacher_suggested_vacancies(user=teacher.user)}
    assert after == before


def test_a_suggestion_pushed_as_the_teacher_applied_is_not_offered_again(run, market, center_user):
    from apps.matching.selectors import teacher_suggested_vacancies

    teacher = market["teachers"][0]
    _push(center_user, run, (teacher, market["a"]))
    # The application arrived while the push ran, so nothing closed the suggestion.
    ApplicationFactory(teacher=teacher, vacancy=market["a"])
    shown = [item.vacancy.pk for item in teacher_suggested_vacancies(user=teacher.user)]
    assert market["a"].pk not in shown


def test_a_school_cannot_invite_to_a_vacancy_closed_since_the_push(pushed, market, liaison_a):
    from apps.vacancies.models import Vacancy, VacancyStatus

    Vacancy.objects.filter(pk=market["a"].pk).update(status=VacancyStatus.CLOSED)
    with pytest.raises(ValidationError, match="no longer open"):
        services.recommendation_invite(actor=liaison_a, recommendation=pushed)
    pushed.refresh_from_db()
    assert pushed.status == RecommendationStatus.PUSHED
    assert not Notification.objects.filter(
        recipient=market["teachers"][0].user, kind="matching"
    ).exists()

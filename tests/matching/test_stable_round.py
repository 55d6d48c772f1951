"""The stable round over a season's applications equals a reference solver's matching."""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone
from matching.games import HospitalResident

from apps.applications.models import Application, ApplicationStatus
from apps.core.models import District, TeachingLevel
from apps.matching import services
from apps.matching.engine import Preferences, blocking_pairs
from apps.matching.models import MatchRun, MatchSuggestion, RunKind, RunStatus
from apps.schools.models import SchoolGroupMember
from tests.applications.factories import ApplicationFactory
from tests.applications.factories import english_vacancy as vacancy_at
from tests.credit.factories import restriction_create
from tests.matching.factories import XIHU, english_teacher, english_vacancy
from tests.schools.factories import SchoolFactory, SchoolGroupFactory

pytestmark = pytest.mark.django_db

# Applications a stable round considers: open, and not yet decided by the teacher.
OPEN_UNDECIDED = {
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.OFFERED,
}


@pytest.fixture
def season(center_user):
    """Ten teachers × eight vacancies (nine posts, one a cluster post), 25 applications.

    Some applications carry the teacher's or the school's rank, the rest fall back to the
    score. Outside the round: applications from before the season, decided applications, a
    black-listed teacher's applications and one pair that fails a hard rule.
    """
    today = timezone.localdate()
    teachers = [
        english_teacher(salary_min=12000 + 1500 * n, chinese_level=f"hsk{n % 5}")
        if n % 5
        else english_teacher(salary_min=12000 + 1500 * n)
        for n in range(10)
    ]
    lead, member = SchoolFactory(), SchoolFactory()
    cluster = SchoolGroupFactory(lead_school=lead)
    SchoolGroupMember.objects.create(group=cluster, school=member)
    vacancies = [
        english_vacancy(posts=2, salary_min=16000, salary_max=22000),
        english_vacancy(salary_min=14000, salary_max=17000),
        english_vacancy(min_chinese_level="hsk3"),
        english_vacancy(district_code="330105", salary_min=18000, salary_max=25000),
        vacancy_at(school=lead, cluster=cluster),
        # Senior secondary only: fails the level rule for every teacher here.
        vacancy_at(levels=[TeachingLevel.objects.get(code="senior_secondary")]),
        english_vacancy(),
        english_vacancy(),
    ]
    # (teacher, vacancy, teacher_rank, school_rank)
    plan = [
        (0, 0, 1, None),
        (0, 1, 2, 2),
        (0, 4, None, None),
        (1, 0, None, 1),
        (1, 2, None, None),
        (1, 3, None, 3),
        (2, 0, 2, None),
        (2, 4, 1, 2),
        (3, 1, None, 1),
        (3, 4, None, 1),
        (3, 3, None, None),
        (4, 0, 3, None),
        (4, 1, 1, None),
        (4, 3, 2, 1),
        (5, 2, None, 1),
        (5, 4, None, None),
        (6, 0, None, None),
        (6, 3, None, 2),
        (7, 0, None, None),
        (7, 1, None, None),
        (7, 4, None, None),
        # Opposed preferences: two stable matchings, and teachers must get their first choice.
        (8, 6, 1, 2),
        (8, 7, 2, 1),
        (9, 7, 1, 2),
        (9, 6, 2, 1),
    ]
    applications = [
        ApplicationFactory(
            teacher=teachers[t], vacancy=vacancies[v], teacher_rank=tr, school_rank=sr
        )
        for t, v, tr, sr in plan
    ]
    # Moved along the pipeline, still in the round.
    Application.objects.filter(pk=applications[3].pk).update(status=ApplicationStatus.INTERVIEW)
    Application.objects.filter(pk=applications[9].pk).update(status=ApplicationStatus.OFFERED)

    outside = [
        # Before the season.
        ApplicationFactory(teacher=teachers[5], vacancy=vacancies[0]),
        # Decided.
        ApplicationFactory(
            teacher=teachers[6], vacancy=vacancies[1], status=ApplicationStatus.WITHDRAWN
        ),
        ApplicationFactory(
            teacher=teachers[2],
            vacancy=vacancies[1],
            status=ApplicationStatus.REJECTED,
            rejection_reason="other",
        ),
        # Accepted: its teacher is out of play until the hire (not one of the ten above).
        ApplicationFactory(
            teacher=english_teacher(), vacancy=vacancies[2], status=ApplicationStatus.ACCEPTED
        ),
    ]
    Application.objects.filter(pk=outside[0].pk).update(
        created_at=timezone.now() - timedelta(days=60)
    )
    barred = english_teacher()
    restriction_create(teacher=barred, reason="Fraud", starts_on=today, created_by=center_user)
    barred_apps = [
        ApplicationFactory(teacher=barred, vacancy=vacancies[0], teacher_rank=1, school_rank=1),
        ApplicationFactory(teacher=barred, vacancy=vacancies[4]),
    ]
    # Fails a hard rule (the teacher teaches primary only).
    ineligible = ApplicationFactory(teacher=teachers[0], vacancy=vacancies[5], school_rank=1)
    return {
        "start": today - timedelta(days=30),
        "end": today,
        "teachers": teachers,
        "vacancies": vacancies,
        "barred": barred,
        "in_round": applications,
        "dropped": [*barred_apps, ineligible],
        "ineligible": ineligible,
        "capacity": {v.pk: 1 if v.cluster_id else v.posts - v.filled_posts for v in vacancies},
    }


def _run_stable(center_user, season, **kwargs) -> MatchRun:
    run = services.match_run_start(
        actor=center_user,
        kind=RunKind.STABLE,
        season_start=season["start"],
        season_end=season["end"],
        queue=False,
        **kwargs,
    )
    run = services.match_run_execute(run_id=run.pk)
    assert run.status == RunStatus.DONE, run.failure_reason
    return run


def _order(entries, *, rank_field, other_field, scores):
    # Explicit ranks first (1 best), then by score (higher first), ties by the other side's id.
    return [
        getattr(a, other_field)
        for a in sorted(
            entries,
            key=lambda a: (
                getattr(a, rank_field) is None,
                getattr(a, rank_field) or 0,
                -scores[(a.teacher_id, a.vacancy_id)],
                getattr(a, other_field),
            ),
        )
    ]


def _reference_lists(run: MatchRun, season):
    """Preference lists built from the database, independently of the run's code."""
    applications = Application.objects.filter(
        status__in=OPEN_UNDECIDED,
        created_at__date__gte=season["start"],
        created_at__date__lte=season["end"],
    ).exclude(teacher=season["barred"])
    applications = [a for a in applications if a.pk != season["ineligible"].pk]
    scores = {
        (t, v): s
        for t, v, s in MatchSuggestion.objects.filter(run=run).values_list(
            "teacher_id", "vacancy_id", "score"
        )
    }
    teacher_lists, vacancy_lists = {}, {}
    for teacher_id in {a.teacher_id for a in applications}:
        mine = [a for a in applications if a.teacher_id == teacher_id]
        teacher_lists[teacher_id] = _order(
            mine, rank_field="teacher_rank", other_field="vacancy_id", scores=scores
        )
    for vacancy_id in {a.vacancy_id for a in applications}:
        theirs = [a for a in applications if a.vacancy_id == vacancy_id]
        vacancy_lists[vacancy_id] = _order(
            theirs, rank_field="school_rank", other_field="teacher_id", scores=scores
        )
    return applications, scores, teacher_lists, vacancy_lists


def _assigned(run: MatchRun) -> set[tuple[int, int]]:
    return set(
        MatchSuggestion.objects.filter(run=run, assigned=True).values_list(
            "teacher_id", "vacancy_id"
        )
    )


def test_stable_round_equals_the_reference_resident_optimal_matching(center_user, season):
    run = _run_stable(center_user, season)
    applications, scores, teacher_lists, vacancy_lists = _reference_lists(run, season)
    # Every pair of the round was scored and stored, nothing else.
    assert set(scores) == {(a.teacher_id, a.vacancy_id) for a in applications}

    game = HospitalResident.create_from_dictionaries(
        teacher_lists, vacancy_lists, {v: season["capacity"][v] for v in vacancy_lists}
    )
    solved = game.solve(optimal="resident")
    expected = {
        (resident.name, hospital.name)
        for hospital, residents in solved.items()
        for resident in residents
    }
    assert expected  # the fixture gives the solver something to do
    assert _assigned(run) == expected
    # The season has several stable matchings, so this tells the proposing side apart.
    school_optimal = HospitalResident.create_from_dictionaries(
        teacher_lists, vacancy_lists, {v: season["capacity"][v] for v in vacancy_lists}
    ).solve(optimal="hospital")
    assert expected != {(r.name, h.name) for h, rs in school_optimal.items() for r in rs}

    # The stored ranks are the places on the same lists.
    for t, v, teacher_rank, rank in MatchSuggestion.objects.filter(run=run).values_list(
        "teacher_id", "vacancy_id", "teacher_rank", "rank"
    ):
        assert teacher_lists[t].index(v) + 1 == teacher_rank
        assert vacancy_lists[v].index(t) + 1 == rank


def test_stable_round_is_stable_and_reports_its_findings(center_user, season):
    run = _run_stable(center_user, season)
    applications, _scores, teacher_lists, vacancy_lists = _reference_lists(run, season)
    assert run.findings["blocking_pairs"] == []

    # The engine's own checker agrees on the stored matching.
    teacher_ids = sorted(teacher_lists)
    vacancy_ids = sorted(vacancy_lists)
    t_row = {pk: i for i, pk in enumerate(teacher_ids)}
    v_row = {pk: i for i, pk in enumerate(vacancy_ids)}
    prefs = Preferences.from_lists(
        [[v_row[v] for v in teacher_lists[t]] for t in teacher_ids],
        [[t_row[t] for t in vacancy_lists[v]] for v in vacancy_ids],
        [season["capacity"][v] for v in vacancy_ids],
    )
    match = np.full(len(teacher_ids), -1, dtype=np.int64)
    for t, v in _assigned(run):
        match[t_row[t]] = v_row[v]
    assert blocking_pairs(prefs, match) == []

    cluster_vacancy = season["vacancies"][4]
    assert cluster_vacancy.pk in {v for _t, v in _assigned(run)}
    assert run.findings["cluster_vacancies"] == [cluster_vacancy.pk]
    assert run.findings["dropped_applications"] == len(season["dropped"])
    assert run.findings["ranked_by_teacher"] == sum(
        a.teacher_rank is not None for a in applications
    )
    assert run.findings["ranked_by_school"] == sum(a.school_rank is not None for a in applications)

    assert run.counts["applications"] == len(season["in_round"]) + len(season["dropped"])
    assert run.counts["teachers"] == len(season["teachers"])
    assert run.counts["posts"] == len(season["vacancies"])
    assert run.counts["capacity"] == sum(season["capacity"].values())
    assert run.counts["eligible_pairs"] == len(applications)
    assert run.counts["assigned"] == len(_assigned(run))
    assert run.counts["suggestions"] == MatchSuggestion.objects.filter(run=run).count()
    # Capacities hold and no teacher is matched twice.
    per_vacancy: dict[int, int] = {}
    for _t, v in _assigned(run):
        per_vacancy[v] = per_vacancy.get(v, 0) + 1
    assert all(per_vacancy[v] <= season["capacity"][v] for v in per_vacancy)
    assert len({t for t, _v in _assigned(run)}) == len(_assigned(run))


def test_stable_round_ignores_outside_and_decided_applications(center_user, season):
    run = _run_stable(center_user, season)
    stored = set(MatchSuggestion.objects.filter(run=run).values_list("teacher_id", "vacancy_id"))
    in_round = {(a.teacher_id, a.vacancy_id) for a in season["in_round"]}
    assert stored == in_round
    assert not MatchSuggestion.objects.filter(run=run, teacher=season["barred"]).exists()
    assert (season["ineligible"].teacher_id, season["ineligible"].vacancy_id) not in stored


def test_stable_round_over_a_district_keeps_to_its_vacancies(center_user, season):
    xihu = District.objects.get(code=XIHU)
    run = _run_stable(center_user, season, district=xihu)
    districts = set(
        MatchSuggestion.objects.filter(run=run).values_list(
            "vacancy__school__district__code", flat=True
        )
    )
    assert districts == {XIHU}
    assert season["vacancies"][3].pk not in set(
        MatchSuggestion.objects.filter(run=run).values_list("vacancy_id", flat=True)
    )


def test_stable_round_needs_its_season(center_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.match_run_start(actor=center_user, kind=RunKind.STABLE, queue=False)
    assert not MatchRun.objects.exists()


def test_an_empty_season_finishes_with_nothing(center_user):
    today = timezone.localdate()
    run = services.match_run_start(
        actor=center_user,
        kind=RunKind.STABLE,
        season_start=today - timedelta(days=5),
        season_end=today,
        queue=False,
    )
    run = services.match_run_execute(run_id=run.pk)
    assert run.status == RunStatus.DONE, run.failure_reason
    assert run.counts["assigned"] == 0 and run.findings["blocking_pairs"] == []

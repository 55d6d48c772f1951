from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.core.models import District
from apps.schools.selectors import school_for_user
from apps.teachers.selectors import teacher_for_user
from apps.vacancies.models import Vacancy

from .compute import TEACHER_SHOWN
from .loader import suggestible_teacher_ids, vacancy_candidates
from .models import (
    MatchRun,
    MatchSuggestion,
    Recommendation,
    RecommendationKind,
    RecommendationStatus,
    RunKind,
    RunStatus,
)


def stale_after() -> timedelta:
    """Return how long a run may stay queued or running before it counts as abandoned."""
    # A worker past Celery's hard time limit has been killed, so its claim is dead.
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def match_run_in_progress(
    *, district: District | None, kind: str = RunKind.FULL
) -> MatchRun | None:
    """Return the live queued or running run of this kind over the same scope, if any."""
    cutoff = timezone.now() - stale_after()
    live = Q(status=RunStatus.QUEUED, created_at__gte=cutoff) | Q(
        status=RunStatus.RUNNING, started_at__gte=cutoff
    )
    return MatchRun.objects.filter(live, district=district, kind=kind).first()


def match_run_get(*, user, code) -> MatchRun:
    """Return a run by code; only center staff may see runs."""
    if not getattr(user, "is_center_staff", False):
        raise PermissionDenied
    return get_object_or_404(MatchRun.objects.select_related("district", "started_by"), code=code)


def match_assignment_list(
    *, user, run: MatchRun, district: District | None = None
) -> QuerySet[MatchSuggestion]:
    """Return the run's recommended assignment, by district, vacancy and score (center only)."""
    if not getattr(user, "is_center_staff", False):
        raise PermissionDenied
    pairs = MatchSuggestion.objects.filter(run=run, assigned=True).select_related(
        "teacher", "vacancy__school__district"
    )
    if district is not None:
        pairs = pairs.filter(vacancy__school__district=district)
    return pairs.order_by("vacancy__school__district__sort_order", "vacancy_id", "-score", "pk")


@dataclass(frozen=True)
class RunComparison:
    """What changed in the recommended assignment since the previous run over the same scope."""

    previous: MatchRun | None
    kept: int  # vacancies given the same teacher
    changed: list[tuple[int, set[int], set[int]]]  # (vacancy id, teachers before, after)
    added: int  # vacancies assigned now and not before
    dropped: int  # vacancies assigned before and not now


def match_run_previous(run: MatchRun) -> MatchRun | None:
    """Return the finished run of the same kind and scope before this one."""
    return (
        MatchRun.objects.filter(
            kind=run.kind,
            district_id=run.district_id,
            vacancy_id=run.vacancy_id,
            teacher_id=run.teacher_id,
            status=RunStatus.DONE,
            created_at__lt=run.created_at,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def _assignment_of(run: MatchRun) -> dict[int, set[int]]:
    chosen: dict[int, set[int]] = defaultdict(set)
    pairs = MatchSuggestion.objects.filter(run=run, assigned=True).values_list(
        "vacancy_id", "teacher_id"
    )
    for vacancy_id, teacher_id in pairs:
        chosen[vacancy_id].add(teacher_id)
    return chosen


def match_run_compare(*, user, run: MatchRun) -> RunComparison:
    """Compare the run's assignment with the previous run's, vacancy by vacancy (center only)."""
    if not getattr(user, "is_center_staff", False):
        raise PermissionDenied
    previous = match_run_previous(run)
    if previous is None:
        return RunComparison(None, 0, [], 0, 0)
    before, after = _assignment_of(previous), _assignment_of(run)
    changed = [
        (vacancy_id, before[vacancy_id], after[vacancy_id])
        for vacancy_id in sorted(before.keys() & after.keys())
        if before[vacancy_id] != after[vacancy_id]
    ]
    kept = len(before.keys() & after.keys()) - len(changed)
    return RunComparison(
        previous,
        kept,
        changed,
        len(after.keys() - before.keys()),
        len(before.keys() - after.keys()),
    )


def match_suggestion_list(
    *,
    user,
    run: MatchRun,
    district: District | None = None,
    subject=None,
    min_score: Decimal | None = None,
    assigned_only: bool = True,
) -> QuerySet[MatchSuggestion]:
    """Return a run's pairs with the center's filters (district, subject, lowest score)."""
    if not getattr(user, "is_center_staff", False):
        raise PermissionDenied
    pairs = MatchSuggestion.objects.filter(run=run).select_related(
        "teacher", "vacancy__school__district"
    )
    if assigned_only:
        pairs = pairs.filter(assigned=True)
    if district is not None:
        pairs = pairs.filter(vacancy__school__district=district)
    if subject is not None:
        pairs = pairs.filter(vacancy__subjects=subject)
    if min_score is not None:
        pairs = pairs.filter(score__gte=min_score)
    return pairs.order_by(
        "vacancy__school__district__sort_order", "vacancy_id", "rank", "-score", "pk"
    )


def _visible_recommendations(ids: set[int]) -> Q:
    # The hard rules hold at read time too: a teacher who has since been black-listed,
    # unverified or opted out disappears from every list.
    return Q(teacher_id__in=suggestible_teacher_ids(ids))


def recommendations_for_vacancy(*, user, vacancy) -> list[Recommendation]:
    """Return the candidates suggested to the user's school for its vacancy (school staff)."""
    if school_for_user(user) != vacancy.school:
        raise PermissionDenied
    shown = Recommendation.objects.filter(vacancy=vacancy).exclude(
        status=RecommendationStatus.DISMISSED
    )
    teacher_ids = set(shown.values_list("teacher_id", flat=True))
    return list(
        shown.filter(_visible_recommendations(teacher_ids))
        .select_related("teacher", "application")
        .prefetch_related("teacher__subjects", "teacher__levels")
        .order_by("-score", "pk")
    )


def recommendation_get_for_school(*, user, code) -> Recommendation:
    """Return a recommendation on one of the user's school's vacancies (else 404)."""
    school = school_for_user(user)
    if school is None:
        raise PermissionDenied
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("vacancy__school", "teacher"),
        code=code,
        vacancy__school=school,
    )
    if recommendation.teacher_id not in suggestible_teacher_ids({recommendation.teacher_id}):
        raise Http404
    return recommendation


def recommendation_get_for_teacher(*, user, code) -> Recommendation:
    """Return one of the signed-in teacher's recommendations (else 404).

    A school's "not interested" is its own business: dismissed ones are not shown.
    """
    return get_object_or_404(
        Recommendation.objects.select_related("vacancy__school", "teacher").exclude(
            status=RecommendationStatus.DISMISSED
        ),
        code=code,
        teacher__user=user,
        teacher__user__isnull=False,
    )


@dataclass(frozen=True)
class SuggestedVacancy:
    vacancy: Vacancy
    score: Decimal
    components: dict
    weights: dict
    recommendation: Recommendation | None  # set when a school invited or the center pushed


def _latest_teacher_rows(teacher_id: int) -> list[MatchSuggestion]:
    # The newest finished run that ranked this teacher's options (a full run that included
    # them, or their own incremental run), plus newer single-vacancy shortlists they made.
    ranked = (
        MatchSuggestion.objects.filter(
            teacher_id=teacher_id,
            teacher_rank__isnull=False,
            run__status=RunStatus.DONE,
            run__kind__in=(RunKind.FULL, RunKind.INCREMENTAL),
        )
        .order_by("-run__finished_at", "-run_id")
        .values_list("run_id", "run__finished_at")
        .first()
    )
    rows = MatchSuggestion.objects.filter(teacher_id=teacher_id, run__status=RunStatus.DONE)
    if ranked is None:
        newer = rows.filter(run__kind=RunKind.INCREMENTAL, run__vacancy__isnull=False)
        return list(newer.select_related("run"))
    run_id, finished_at = ranked
    chosen = rows.filter(
        Q(run_id=run_id, teacher_rank__isnull=False)
        | Q(
            run__kind=RunKind.INCREMENTAL,
            run__vacancy__isnull=False,
            run__finished_at__gt=finished_at,
        )
    )
    return list(chosen.select_related("run"))


def teacher_suggested_vacancies(*, user, limit: int = TEACHER_SHOWN) -> list[SuggestedVacancy]:
    """Return the vacancies suggested to the signed-in teacher, invitations first.

    Nothing when the teacher is not (or no longer) suggestible; only vacancies still open.
    """
    teacher = teacher_for_user(user=user)
    if teacher is None or teacher.pk not in suggestible_teacher_ids({teacher.pk}):
        return []
    open_vacancies = vacancy_candidates()
    recommendations = list(
        Recommendation.objects.filter(
            teacher=teacher,
            kind=RecommendationKind.SUGGESTION,
            status__in=(RecommendationStatus.PUSHED, RecommendationStatus.INVITED),
            vacancy__in=open_vacancies,
        ).select_related("vacancy__school")
    )
    recommended = {r.vacancy_id for r in recommendations}
    best: dict[int, MatchSuggestion] = {}
    for row in _latest_teacher_rows(teacher.pk):
        if row.vacancy_id in recommended:
            continue
        if row.vacancy_id not in best or best[row.vacancy_id].run.finished_at < row.run.finished_at:
            best[row.vacancy_id] = row
    still_open = set(open_vacancies.filter(pk__in=best.keys()).values_list("pk", flat=True))
    vacancies = Vacancy.objects.select_related("school").in_bulk(still_open)
    invited_first = sorted(
        recommendations,
        key=lambda r: (r.status != RecommendationStatus.INVITED, -r.score, r.pk),
    )
    out = [SuggestedVacancy(r.vacancy, r.score, r.components, r.weights, r) for r in invited_first]
    ranked = sorted(
        (row for row in best.values() if row.vacancy_id in vacancies),
        key=lambda row: (-row.score, row.vacancy_id),
    )
    out += [
        SuggestedVacancy(
            vacancies[row.vacancy_id], row.score, row.components, row.run.weights, None
        )
        for row in ranked
    ]
    return out[: max(limit, len(invited_first))]


# --- center pages ---


def _ensure_center(user) -> None:
    if not getattr(user, "is_center_staff", False):
        raise PermissionDenied


def recommendations_for_pairs(*, user, pairs) -> dict[tuple[int, int], Recommendation]:
    """Return the pushed suggestions of the given (run) pairs, keyed by (teacher, vacancy)."""
    _ensure_center(user)
    pairs = list(pairs)
    if not pairs:
        return {}
    found = Recommendation.objects.filter(
        teacher_id__in={p.teacher_id for p in pairs}, vacancy_id__in={p.vacancy_id for p in pairs}
    ).only("pk", "teacher_id", "vacancy_id", "status", "kind")
    return {(r.teacher_id, r.vacancy_id): r for r in found}


def run_assigned_among(
    *, user, run: MatchRun, teacher_ids, vacancy_ids
) -> tuple[set[int], set[int]]:
    """Return which of the teachers and which of the vacancies the run's assignment used."""
    _ensure_center(user)
    rows = MatchSuggestion.objects.filter(run=run, assigned=True).filter(
        Q(teacher_id__in=list(teacher_ids)) | Q(vacancy_id__in=list(vacancy_ids))
    )
    teachers, vacancies = set(), set()
    for teacher_id, vacancy_id in rows.values_list("teacher_id", "vacancy_id"):
        teachers.add(teacher_id)
        vacancies.add(vacancy_id)
    return teachers, vacancies


@dataclass(frozen=True)
class ChangedVacancy:
    vacancy: Vacancy
    before: list  # teachers the previous run assigned
    after: list  # teachers this run assigned


def run_changes_named(*, user, comparison: RunComparison, limit: int = 50) -> list[ChangedVacancy]:
    """Return the first changed vacancies of a comparison with their teachers (two queries)."""
    _ensure_center(user)
    from apps.teachers.models import Teacher

    changed = comparison.changed[:limit]
    vacancies = Vacancy.objects.select_related("school").in_bulk([c[0] for c in changed])
    teacher_ids = {t for _v, before, after in changed for t in before | after}
    teachers = Teacher.objects.only("pk", "legal_name", "code").in_bulk(teacher_ids)
    return [
        ChangedVacancy(
            vacancies[vacancy_id],
            [teachers[t] for t in sorted(before) if t in teachers],
            [teachers[t] for t in sorted(after) if t in teachers],
        )
        for vacancy_id, before, after in changed
        if vacancy_id in vacancies
    ]


@dataclass(frozen=True)
class StableFindings:
    blocking_pairs: list[tuple]  # (teacher, vacancy)
    cluster_vacancies: list[Vacancy]
    dropped_applications: int
    ranked_by_teacher: int
    ranked_by_school: int
    preferences: int  # applications that took part (each one preference on either side)

    @property
    def by_score_teacher(self) -> int:
        return self.preferences - self.ranked_by_teacher

    @property
    def by_score_school(self) -> int:
        return self.preferences - self.ranked_by_school


def stable_findings(*, user, run: MatchRun) -> StableFindings | None:
    """Return a stable round's findings with names (None for other kinds or unfinished runs)."""
    _ensure_center(user)
    if run.kind != RunKind.STABLE or run.status != RunStatus.DONE:
        return None
    from apps.teachers.models import Teacher

    findings = run.findings or {}
    blocking = [tuple(pair) for pair in findings.get("blocking_pairs", [])]
    cluster_ids = findings.get("cluster_vacancies", [])
    vacancies = Vacancy.objects.select_related("school").in_bulk(
        {v for _t, v in blocking} | set(cluster_ids)
    )
    teachers = (
        Teacher.objects.only("pk", "legal_name", "code").in_bulk({t for t, _v in blocking})
        if blocking
        else {}
    )
    return StableFindings(
        [(teachers.get(t), vacancies.get(v)) for t, v in blocking],
        [vacancies[v] for v in cluster_ids if v in vacancies],
        findings.get("dropped_applications", 0),
        findings.get("ranked_by_teacher", 0),
        findings.get("ranked_by_school", 0),
        (run.counts or {}).get("eligible_pairs", 0),
    )

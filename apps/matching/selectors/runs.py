"""Reads for center staff: runs, their pairs, comparisons and stable-round findings.

Runs, their pairs and teachers' names are for the service center only: every selector here
that takes a user starts with require_center_staff.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.accounts.permissions import require_center_staff
from apps.core.jobs import stale_after
from apps.core.models import District
from apps.vacancies.models import Vacancy

from ..explanations import component_lines, teacher_label
from ..loader import suggestible_teacher_ids
from ..models import (
    MatchRun,
    MatchSuggestion,
    Recommendation,
    RunKind,
    RunStatus,
)


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
    require_center_staff(user)
    return get_object_or_404(MatchRun.objects.select_related("district", "started_by"), code=code)


def match_runs_recent(*, user, limit: int = 5) -> list[MatchRun]:
    """Return the latest full runs and stable rounds, newest first (center only)."""
    require_center_staff(user)
    runs = MatchRun.objects.filter(kind__in=(RunKind.FULL, RunKind.STABLE))
    return list(
        runs.select_related("district", "started_by").order_by("-created_at", "-pk")[:limit]
    )


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
    require_center_staff(user)
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
    require_center_staff(user)
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


# --- center pages ---


def recommendations_for_pairs(*, user, pairs) -> dict[tuple[int, int], Recommendation]:
    """Return the pushed suggestions of the given (run) pairs, keyed by (teacher, vacancy)."""
    require_center_staff(user)
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
    require_center_staff(user)
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
    before: list[str]  # who the previous run assigned, as center staff may see them
    after: list[str]  # who this run assigned


def _teacher_labels(teacher_ids: set[int]) -> dict[int, str]:
    # A teacher black-listed, unverified or opted out since the run keeps a place in the
    # lists (the counts stay right) but not their name.
    from apps.teachers.models import Teacher

    if not teacher_ids:
        return {}
    teachers = Teacher.objects.only("pk", "legal_name", "code").in_bulk(teacher_ids)
    shown = suggestible_teacher_ids(teachers.keys())
    return {pk: teacher_label(t, suggestible=pk in shown) for pk, t in teachers.items()}


def run_changes_named(*, user, comparison: RunComparison, limit: int = 50) -> list[ChangedVacancy]:
    """Return the first changed vacancies of a comparison with their teachers' names."""
    require_center_staff(user)
    changed = comparison.changed[:limit]
    vacancies = Vacancy.objects.select_related("school").in_bulk([c[0] for c in changed])
    labels = _teacher_labels({t for _v, before, after in changed for t in before | after})
    return [
        ChangedVacancy(
            vacancies[vacancy_id],
            [labels[t] for t in sorted(before) if t in labels],
            [labels[t] for t in sorted(after) if t in labels],
        )
        for vacancy_id, before, after in changed
        if vacancy_id in vacancies
    ]


@dataclass(frozen=True)
class StableFindings:
    blocking_pairs: list[tuple]  # (teacher's name or a neutral label, vacancy)
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
    require_center_staff(user)
    if run.kind != RunKind.STABLE or run.status != RunStatus.DONE:
        return None
    findings = run.findings or {}
    blocking = [tuple(pair) for pair in findings.get("blocking_pairs", [])]
    cluster_ids = findings.get("cluster_vacancies", [])
    vacancies = Vacancy.objects.select_related("school").in_bulk(
        {v for _t, v in blocking} | set(cluster_ids)
    )
    labels = _teacher_labels({t for t, _v in blocking})
    return StableFindings(
        [(labels.get(t, str(t)), vacancies.get(v)) for t, v in blocking],
        [vacancies[v] for v in cluster_ids if v in vacancies],
        findings.get("dropped_applications", 0),
        findings.get("ranked_by_teacher", 0),
        findings.get("ranked_by_school", 0),
        (run.counts or {}).get("eligible_pairs", 0),
    )


@dataclass(frozen=True)
class RunPairRow:
    pair: MatchSuggestion
    lines: list  # ComponentLine: value × weight of each component
    recommendation: Recommendation | None  # set once the pair was pushed to the school
    teacher_unassigned: bool  # the run gave the teacher nothing
    vacancy_unassigned: bool  # the run gave the vacancy nobody


@dataclass(frozen=True)
class RunPairPage:
    rows: list[RunPairRow]
    hidden: int  # pairs left out: their teacher can no longer be suggested


def run_pair_rows(*, user, run: MatchRun, pairs) -> RunPairPage:
    """Return one page of a run's pairs for center staff, without unsuggestible teachers."""
    require_center_staff(user)

    pairs = list(pairs)
    # The hard rules hold at read time: a teacher black-listed, unverified or opted out since
    # the run disappears from the page (and the push skips them).
    visible = suggestible_teacher_ids({pair.teacher_id for pair in pairs})
    shown = [pair for pair in pairs if pair.teacher_id in visible]
    recommendations = recommendations_for_pairs(user=user, pairs=shown)
    teachers_used, vacancies_used = (
        run_assigned_among(
            user=user,
            run=run,
            teacher_ids={pair.teacher_id for pair in shown},
            vacancy_ids={pair.vacancy_id for pair in shown},
        )
        if shown
        else (set(), set())
    )
    rows = [
        RunPairRow(
            pair,
            component_lines(pair.components, run.weights),
            recommendations.get((pair.teacher_id, pair.vacancy_id)),
            pair.teacher_id not in teachers_used,
            pair.vacancy_id not in vacancies_used,
        )
        for pair in shown
    ]
    return RunPairPage(rows, len(pairs) - len(shown))


def match_run_pruned(run: MatchRun) -> bool:
    """Say whether a finished run's pair rows were pruned (only its counts and timings remain)."""
    return (
        run.status == RunStatus.DONE
        and (run.counts or {}).get("suggestions", 0) > 0
        and not MatchSuggestion.objects.filter(run=run).exists()
    )


@dataclass(frozen=True)
class RunChanges:
    """The comparison box of a run page."""

    comparison: RunComparison
    pruned: str  # "run" or "previous" when that run's pairs were pruned: nothing to compare
    changed: list[ChangedVacancy]


def run_changes(*, user, run: MatchRun, limit: int = 50) -> RunChanges:
    """Compare a finished run with the previous one, unless either run's pairs were pruned."""
    require_center_staff(user)
    previous = match_run_previous(run)
    if previous is not None:
        # Comparing with missing rows would call every vacancy newly assigned or dropped.
        if match_run_pruned(run):
            return RunChanges(RunComparison(previous, 0, [], 0, 0), "run", [])
        if match_run_pruned(previous):
            return RunChanges(RunComparison(previous, 0, [], 0, 0), "previous", [])
    comparison = match_run_compare(user=user, run=run)
    changed = run_changes_named(user=user, comparison=comparison, limit=limit)
    return RunChanges(comparison, "", changed)

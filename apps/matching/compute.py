"""What each kind of run computes: read the database, run the engine, return pairs to store.

No writes here (services store the outcome). Every kind returns the same ``Outcome``: the
pairs worth keeping with their ranks on both sides, whether the run chose them, and each pair's
score and component values, so the service stores exactly what the engine computed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db.models import Q

from apps.applications.models import Application, ApplicationStatus
from apps.core.selectors import policy_settings_get

from .engine import (
    K_SHOWN,
    SCORE_SCALE,
    Preferences,
    Weights,
    assign_shortlists,
    blocking_pairs,
    deferred_acceptance,
    eligible_mask,
    plan_scoring,
    score_and_shortlist,
    score_pairs,
)
from .engine.components import ScoringPlan, score_sides
from .engine.encoding import Side
from .engine.scoring import Shortlist
from .loader import (
    MatchingData,
    load_matching_data,
    teachers_for_vacancy,
    vacancies_sharing_subjects,
    vacancy_candidates,
)
from .models import MatchRun, RunKind, RunPhase

TEACHER_SHOWN = 5  # vacancies suggested to each teacher
# Applications a stable round considers: still open and not yet decided by the teacher.
STABLE_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.OFFERED,
)


@dataclass(frozen=True, eq=False)
class Pairs:
    """Engine rows of the pairs to store, post-major; ranks are 0 where not ranked."""

    posts: np.ndarray
    teachers: np.ndarray
    rank: np.ndarray  # the teacher's place on the post's list
    teacher_rank: np.ndarray  # the post's place on the teacher's list
    assigned: np.ndarray  # bool

    @classmethod
    def merge(
        cls,
        n_teachers: int,
        *,
        post_ranked: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
        teacher_ranked: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
        assigned: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> Pairs:
        """Union (post, teacher, rank) triples from either side and the chosen (post, teacher)."""
        n_t = max(n_teachers, 1)
        empty = (np.zeros(0, np.int64),) * 3
        post_ranked = post_ranked or empty
        teacher_ranked = teacher_ranked or empty
        assigned = assigned or empty[:2]

        def keys(posts, teachers):
            return np.asarray(posts, np.int64) * n_t + np.asarray(teachers, np.int64)

        sources = [keys(*post_ranked[:2]), keys(*teacher_ranked[:2]), keys(*assigned)]
        every = np.unique(np.concatenate(sources))
        rank = np.zeros(len(every), np.int64)
        rank[np.searchsorted(every, sources[0])] = post_ranked[2]
        teacher_rank = np.zeros(len(every), np.int64)
        teacher_rank[np.searchsorted(every, sources[1])] = teacher_ranked[2]
        chosen = np.zeros(len(every), bool)
        chosen[np.searchsorted(every, sources[2])] = True
        return cls(every // n_t, every % n_t, rank, teacher_rank, chosen)

    def __len__(self) -> int:
        return len(self.posts)


@dataclass(eq=False)
class Outcome:
    """What a run computed: the pairs to store, their scores and components, counts, findings."""

    data: MatchingData
    pairs: Pairs
    scores: np.ndarray  # int32 score units per pair (SCORE_SCALE per point)
    components: dict[str, np.ndarray]  # component code -> value in [0, 1] per pair
    counts: dict = field(default_factory=dict)
    findings: dict = field(default_factory=dict)


def _outcome(
    data: MatchingData,
    pairs: Pairs,
    plan: ScoringPlan,
    counts: dict,
    findings: dict | None = None,
) -> Outcome:
    # The scoring pass keeps only each pair's total (components of millions of pairs would not
    # fit in memory), so the kept pairs are scored once more here, with the run's own plan,
    # to get the component values the run page explains.
    components: dict[str, np.ndarray] = {}
    scores = score_sides(
        Side(data.teachers, pairs.teachers), Side(data.posts, pairs.posts), plan, components
    )
    return Outcome(data, pairs, scores, components, counts, findings or {})


class Clock:
    """Phase timings, and the hook that tells the run page which phase is next."""

    def __init__(self, on_phase: Callable[[str], None] | None = None) -> None:
        self.timings: dict[str, float] = {}
        self._on_phase = on_phase or (lambda phase: None)
        self._started = self._last = time.perf_counter()

    def lap(self, done: str, next_phase: str | None = None) -> None:
        now = time.perf_counter()
        self.timings[done] = round(now - self._last, 3)
        self._last = now
        if next_phase:
            self._on_phase(next_phase)

    def total(self) -> float:
        return round(time.perf_counter() - self._started, 3)


def ranked_edges(shortlist: Shortlist) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (row, item, rank from 1) for every entry of a shortlist."""
    rows, items, _scores = shortlist.edges()
    lengths = np.diff(shortlist.indptr)
    ranks = np.arange(len(items), dtype=np.int64) - np.repeat(shortlist.indptr[:-1], lengths)
    return rows.astype(np.int64), items.astype(np.int64), ranks + 1


def _score(data: MatchingData, run: MatchRun, **kwargs):
    return score_and_shortlist(
        data.teachers,
        data.posts,
        weights=Weights(**run.weights),
        start_tolerance_days=policy_settings_get().start_tolerance_days,
        **kwargs,
    )


def compute_full(run: MatchRun, clock: Clock) -> Outcome:
    """Shortlists for every post and teacher in scope, and the recommended assignment."""
    data = load_matching_data(district=run.district)
    clock.lap("load", RunPhase.SCORE)
    scoring = _score(data, run, k_post=K_SHOWN)
    clock.lap("score", RunPhase.ASSIGN)
    assignment = assign_shortlists(scoring, data.posts.capacity)
    clock.lap("assign")
    t_rows, t_posts, t_ranks = ranked_edges(scoring.by_teacher.head(TEACHER_SHOWN))
    p_rows, p_teachers, p_ranks = ranked_edges(scoring.by_post)
    pairs = Pairs.merge(
        len(data.teachers),
        post_ranked=(p_rows, p_teachers, p_ranks),
        teacher_ranked=(t_posts, t_rows, t_ranks),
        assigned=(assignment.posts, assignment.teachers),
    )
    counts = {
        "teachers": len(data.teachers),
        "posts": len(data.posts),
        "capacity": int(data.posts.capacity.sum()),
        "eligible_pairs": scoring.eligible_pairs,
        "assigned": len(assignment.teachers),
        "total_score": round(assignment.total_score / SCORE_SCALE, 2),
    }
    return _outcome(data, pairs, scoring.plan, counts)


def compute_incremental(run: MatchRun, clock: Clock) -> Outcome:
    """One vacancy against every teacher, or one teacher against every vacancy."""
    if run.vacancy_id:
        data = load_matching_data(
            teachers=teachers_for_vacancy(run.vacancy), vacancies=Q(pk=run.vacancy_id)
        )
    else:
        data = load_matching_data(
            teachers=Q(pk=run.teacher_id), vacancies=vacancies_sharing_subjects(run.teacher)
        )
    clock.lap("load", RunPhase.SCORE)
    scoring = _score(data, run, k_post=K_SHOWN, k_teacher=TEACHER_SHOWN)
    clock.lap("score")
    if run.vacancy_id:
        p_rows, p_teachers, p_ranks = ranked_edges(scoring.by_post)
        pairs = Pairs.merge(len(data.teachers), post_ranked=(p_rows, p_teachers, p_ranks))
    else:
        t_rows, t_posts, t_ranks = ranked_edges(scoring.by_teacher)
        pairs = Pairs.merge(len(data.teachers), teacher_ranked=(t_posts, t_rows, t_ranks))
    counts = {
        "teachers": len(data.teachers),
        "posts": len(data.posts),
        "eligible_pairs": scoring.eligible_pairs,
    }
    return _outcome(data, pairs, scoring.plan, counts)


def season_applications(start: date, end: date, *, district=None):
    """Return the open applications made in a season (dates inclusive), oldest first."""
    applications = Application.objects.filter(
        status__in=STABLE_STATUSES, created_at__date__gte=start, created_at__date__lte=end
    )
    if district is not None:
        # The same scope as a district's full run: lead school or cluster member there.
        applications = applications.filter(vacancy__in=vacancy_candidates(district=district))
    return applications.order_by("created_at", "pk")


def _preference_order(rank, score, other):
    # Explicit ranks first (1 best), then unranked by score, ties by the other side's id.
    return sorted(
        range(len(rank)), key=lambda i: (rank[i] is None, rank[i] or 0, -score[i], other[i])
    )


def compute_stable(run: MatchRun, clock: Clock) -> Outcome:
    """Teacher-proposing deferred acceptance over the season's applications."""
    applications = list(
        season_applications(run.season_start, run.season_end, district=run.district).values_list(
            "teacher_id", "vacancy_id", "teacher_rank", "school_rank"
        )
    )
    teacher_ids = {row[0] for row in applications}
    vacancy_ids = {row[1] for row in applications}
    data = load_matching_data(teachers=Q(pk__in=teacher_ids), vacancies=Q(pk__in=vacancy_ids))
    clock.lap("load", RunPhase.SCORE)
    row_of_teacher = {int(pk): i for i, pk in enumerate(data.teacher_ids)}
    row_of_post = {int(pk): i for i, pk in enumerate(data.vacancy_ids)}
    kept = [
        (row_of_teacher[t], row_of_post[v], t_rank, s_rank)
        for t, v, t_rank, s_rank in applications
        if t in row_of_teacher and v in row_of_post
    ]
    ti = np.array([row[0] for row in kept], np.int64)
    pj = np.array([row[1] for row in kept], np.int64)
    tolerance = policy_settings_get().start_tolerance_days
    ok = eligible_mask(data.teachers, data.posts, ti, pj, start_tolerance_days=tolerance)
    kept = [row for row, passes in zip(kept, ok.tolist(), strict=True) if passes]
    ti, pj = ti[ok], pj[ok]
    plan = plan_scoring(data.teachers, Weights(**run.weights))
    scores = score_pairs(data.teachers, data.posts, ti, pj, plan).tolist() if len(ti) else []
    clock.lap("score", RunPhase.ASSIGN)

    by_teacher: list[list[int]] = [[] for _ in range(len(data.teachers))]
    by_post: list[list[int]] = [[] for _ in range(len(data.posts))]
    for i, (t, p, _t_rank, _s_rank) in enumerate(kept):
        by_teacher[t].append(i)
        by_post[p].append(i)
    teacher_lists, post_lists = [], []
    teacher_rank = np.zeros(len(kept), np.int64)
    post_rank = np.zeros(len(kept), np.int64)
    for entries in by_teacher:
        order = _preference_order(
            [kept[i][2] for i in entries],
            [scores[i] for i in entries],
            [kept[i][1] for i in entries],
        )
        teacher_lists.append([kept[entries[k]][1] for k in order])
        for place, k in enumerate(order, start=1):
            teacher_rank[entries[k]] = place
    for entries in by_post:
        order = _preference_order(
            [kept[i][3] for i in entries],
            [scores[i] for i in entries],
            [kept[i][0] for i in entries],
        )
        post_lists.append([kept[entries[k]][0] for k in order])
        for place, k in enumerate(order, start=1):
            post_rank[entries[k]] = place
    prefs = Preferences.from_lists(teacher_lists, post_lists, data.posts.capacity.tolist())
    match = deferred_acceptance(prefs)
    blocking = blocking_pairs(prefs, match)
    clock.lap("assign")

    matched = np.flatnonzero(match >= 0)
    pairs = Pairs.merge(
        len(data.teachers),
        post_ranked=(pj, ti, post_rank),
        teacher_ranked=(pj, ti, teacher_rank),
        assigned=(match[matched], matched),
    )
    matched_vacancies = {int(data.vacancy_ids[p]) for p in match[matched].tolist()}
    findings = {
        "blocking_pairs": [
            [int(data.teacher_ids[t]), int(data.vacancy_ids[p])] for t, p in blocking
        ],
        # A cluster vacancy is one post shared by several schools: its lead school ranked the
        # applicants, and the member schools still have to agree to the hire.
        "cluster_vacancies": sorted(_cluster_vacancy_ids(matched_vacancies)),
        "dropped_applications": len(applications) - len(kept),
        "ranked_by_teacher": sum(row[2] is not None for row in kept),
        "ranked_by_school": sum(row[3] is not None for row in kept),
    }
    counts = {
        "applications": len(applications),
        "teachers": len(data.teachers),
        "posts": len(data.posts),
        "capacity": int(data.posts.capacity.sum()),
        "eligible_pairs": len(kept),
        "assigned": len(matched),
        "total_score": round(
            sum(scores[i] for i in range(len(kept)) if match[kept[i][0]] == kept[i][1])
            / SCORE_SCALE,
            2,
        ),
    }
    return _outcome(data, pairs, plan, counts, findings)


def _cluster_vacancy_ids(candidates: set[int]) -> set[int]:
    from apps.vacancies.models import Vacancy

    return set(
        Vacancy.objects.filter(pk__in=candidates, cluster__isnull=False).values_list(
            "pk", flat=True
        )
    )


COMPUTE: dict[str, Callable[[MatchRun, Clock], Outcome]] = {
    RunKind.FULL: compute_full,
    RunKind.INCREMENTAL: compute_incremental,
    RunKind.STABLE: compute_stable,
}

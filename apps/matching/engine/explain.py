"""Explanations as codes and numbers: one pair's score, and why a teacher or post is unmatched."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .assignment import Assignment
from .components import SCORE_SCALE, Weights, plan_scoring, score_sides
from .encoding import Posts, Side, Teachers
from .rules import (
    DEFAULT_START_TOLERANCE_DAYS,
    PAIR_RULE_CODES,
    TEACHER_RULE_CODES,
    pair_rule_codes,
    pair_rule_masks,
)
from .scoring import ScoringResult

SHOWN_CANDIDATES = 5  # candidates listed in a "why not matched" answer


@dataclass(frozen=True)
class ComponentScore:
    code: str
    value: float  # component value in [0, 1]
    weight: float  # normalised weight; weights of the shown components sum to 1
    points: float  # value * weight * 100, before the pair score is rounded


@dataclass(frozen=True)
class PairExplanation:
    teacher: int
    post: int
    failed_rules: tuple[str, ...]  # empty when the pair is eligible
    score_units: int  # integer score, 1 / SCORE_SCALE points
    components: tuple[ComponentScore, ...]

    @property
    def eligible(self) -> bool:
        return not self.failed_rules

    @property
    def score(self) -> float:
        return self.score_units / SCORE_SCALE


def explain_pair(
    teachers: Teachers,
    posts: Posts,
    teacher: int,
    post: int,
    *,
    weights: Weights | None = None,
    start_tolerance_days: int = DEFAULT_START_TOLERANCE_DAYS,
) -> PairExplanation:
    """Explain one pair: failed hard rules, each component's value and the score."""
    plan = plan_scoring(teachers, weights)
    values: dict[str, np.ndarray] = {}
    t, p = Side(teachers, np.array([teacher])), Side(posts, np.array([post]))
    units = int(score_sides(t, p, plan, values)[0])
    comps = tuple(
        ComponentScore(
            c.code, float(values[c.code][0]), float(w), float(values[c.code][0] * w) * 100
        )
        for c, w in zip(plan.components, plan.weights, strict=True)
    )
    failed = pair_rule_codes(
        teachers, posts, teacher, post, start_tolerance_days=start_tolerance_days
    )
    return PairExplanation(teacher, post, tuple(failed), units, comps)


@dataclass(frozen=True)
class Reason:
    """One reason code; ``other`` is the post or teacher it concerns, ``counts`` rule tallies."""

    code: str
    other: int | None = None
    score_units: int | None = None  # this pair's score
    rival_units: int | None = None  # the score that won instead
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Diagnosis:
    subject: int  # teacher or post id
    matched: tuple[int, ...]  # posts (for a teacher) or teachers (for a post) assigned
    reasons: tuple[Reason, ...]


def rival_code(score_units: int, rival_units: int) -> str:
    """Classify a lost candidate: ``outranked`` if what won scores at least as well, else
    ``capacity`` (the solver gave up this pair's score for a better total)."""
    return "outranked" if rival_units >= score_units else "capacity"


def _rule_counts(masks: dict[str, np.ndarray], codes: tuple[str, ...]) -> dict[str, int]:
    return {code: int((~masks[code]).sum()) for code in codes if (~masks[code]).any()}


def why_not_matched_teacher(
    teachers: Teachers,
    posts: Posts,
    teacher: int,
    *,
    scoring: ScoringResult,
    assignment: Assignment,
    start_tolerance_days: int = DEFAULT_START_TOLERANCE_DAYS,
) -> Diagnosis:
    """Say why a teacher got no post: failed rules, or who took each of their best posts.

    Codes: a teacher rule code; ``no_candidates`` with per-rule tallies of failing posts;
    per top candidate post ``outranked`` (the post went to higher-scoring teachers),
    ``capacity`` (the post was full with someone scoring lower, for a better total) or
    ``not_selected`` (the post has room; the pair was outside the solver's edges).
    """
    post_of = assignment.post_of_teacher()
    if post_of[teacher] >= 0:
        return Diagnosis(teacher, (int(post_of[teacher]),), ())
    pj = np.arange(len(posts))
    masks = pair_rule_masks(
        teachers, posts, np.full(len(posts), teacher), pj, start_tolerance_days=start_tolerance_days
    )
    own = tuple(Reason(c) for c in TEACHER_RULE_CODES if len(pj) and not masks[c][0])
    if own:
        return Diagnosis(teacher, (), own)
    cand, cand_scores = scoring.by_teacher.row(teacher)
    if len(cand) == 0:
        counts = _rule_counts(masks, PAIR_RULE_CODES)
        return Diagnosis(teacher, (), (Reason("no_candidates", counts=counts),))
    reasons = []
    for p, s in zip(cand[:SHOWN_CANDIDATES], cand_scores[:SHOWN_CANDIDATES], strict=True):
        rivals = assignment.scores[assignment.posts == p]
        if len(rivals) < posts.capacity[p]:
            # Only possible for a pair outside the candidate edges the solver was given.
            reasons.append(Reason("not_selected", int(p), int(s)))
            continue
        weakest = int(rivals.min())
        reasons.append(Reason(rival_code(int(s), weakest), int(p), int(s), weakest))
    return Diagnosis(teacher, (), tuple(reasons))


def why_not_matched_post(
    teachers: Teachers,
    posts: Posts,
    post: int,
    *,
    scoring: ScoringResult,
    assignment: Assignment,
    start_tolerance_days: int = DEFAULT_START_TOLERANCE_DAYS,
) -> Diagnosis:
    """Say why a post is not (fully) filled: failed rules, or where its best teachers went.

    Codes: ``no_candidates`` with per-rule tallies of failing teachers; per top candidate
    teacher ``outranked`` (assigned to a post where they score at least as well),
    ``capacity`` (assigned elsewhere at a lower score, for a better total) or
    ``not_selected`` (unassigned; the pair was outside the teacher's top candidates).
    """
    held = assignment.teachers_of_post(post)
    if len(held) >= posts.capacity[post]:
        return Diagnosis(post, tuple(int(t) for t in held), ())
    ti = np.arange(len(teachers))
    masks = pair_rule_masks(
        teachers, posts, ti, np.full(len(teachers), post), start_tolerance_days=start_tolerance_days
    )
    cand, cand_scores = scoring.by_post.row(post)
    if len(cand) == 0:
        counts = _rule_counts(masks, TEACHER_RULE_CODES + PAIR_RULE_CODES)
        return Diagnosis(
            post, tuple(int(t) for t in held), (Reason("no_candidates", counts=counts),)
        )
    post_of = assignment.post_of_teacher()
    score_of = np.zeros(len(teachers), dtype=np.int64)
    score_of[assignment.teachers] = assignment.scores
    reasons = []
    for t, s in zip(cand[:SHOWN_CANDIDATES], cand_scores[:SHOWN_CANDIDATES], strict=True):
        if post_of[t] == post:
            continue
        if post_of[t] < 0:
            reasons.append(Reason("not_selected", int(t), int(s)))
            continue
        rival = int(score_of[t])
        reasons.append(Reason(rival_code(int(s), rival), int(t), int(s), rival))
    return Diagnosis(post, tuple(int(t) for t in held), tuple(reasons))

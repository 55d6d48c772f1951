"""Score components and the one scoring definition shared by blocks and single pairs.

Every component maps broadcastable teacher-side and post-side columns to float32 values in
[0, 1]. A pair's score is ``100 * sum(w_c * v_c) / sum(w_c)`` over the active components,
stored as an integer number of ``1 / SCORE_SCALE`` points (round half to even), so that the
min-cost-flow solver gets exact integer costs and every output agrees to the last unit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np

from .encoding import UNSET, Posts, Side, Teachers

SCORE_SCALE = 100  # score units per point: integer scores run 0..10_000
MAX_SCORE = 100 * SCORE_SCALE
NEUTRAL = np.float32(0.5)  # value of a component whose preference is unset

_F = np.float32
_ONE = _F(1)
_ZERO = _F(0)


def _count(mask: np.ndarray) -> np.ndarray:
    return np.bitwise_count(mask).astype(_F)


def subject_fit(t: Side, p: Side) -> np.ndarray:
    """Share of the post's subjects the teacher may teach."""
    return _count(t.teachable & p.subjects) / np.maximum(_count(p.subjects), _ONE)


def level_fit(t: Side, p: Side) -> np.ndarray:
    """Share of the post's school levels the teacher accepts."""
    return _count(t.levels & p.levels) / np.maximum(_count(p.levels), _ONE)


def qualifications(t: Side, p: Side) -> np.ndarray:
    """Degree meets (0.6) or exceeds (0.2) the post's minimum; certificate adds 0.2."""
    required = np.where(p.min_degree == UNSET, 1, p.min_degree)
    meets = (t.degree >= required).astype(_F) * _F(0.6)
    exceeds = (t.degree > required).astype(_F) * _F(0.2)
    return meets + exceeds + t.has_certificate.astype(_F) * _F(0.2)


def experience(t: Side, p: Side) -> np.ndarray:
    """Years of teaching against the post's minimum (five years saturate)."""
    years = t.experience_years.astype(_F)
    required = p.min_experience.astype(_F)
    unset = np.minimum(years / _F(5), _ONE)
    above = _F(0.7) + _F(0.3) * np.minimum((years - required) / _F(5), _ONE)
    below = _F(0.7) * years / np.maximum(required, _ONE)
    return np.where(p.min_experience == UNSET, unset, np.where(years >= required, above, below))


def district(t: Side, p: Side) -> np.ndarray:
    """1 if the post is in a preferred district, 0 if not, neutral without preferences."""
    hit = ((t.districts & p.districts) != 0).astype(_F)
    return np.where(t.districts == 0, NEUTRAL, hit)


def salary(t: Side, p: Side) -> np.ndarray:
    """1 when the post's minimum covers the expectation, 0.5 at its maximum, 0 beyond."""
    span = np.maximum(p.salary_max - p.salary_min, 1000).astype(_F)
    gap = (t.salary_expectation - p.salary_min).astype(_F) / span
    value = np.clip(_ONE - gap * _F(0.5), _ZERO, _ONE)
    unset = (t.salary_expectation == UNSET) | (p.salary_min == UNSET) | (p.salary_max == UNSET)
    return np.where(unset, NEUTRAL, value)


def start_date(t: Side, p: Side) -> np.ndarray:
    """1 when available on the contract start; -1/180 per idle day, -1/30 per late day."""
    wait = (p.contract_start - t.earliest_start).astype(_F)
    value = np.where(wait >= 0, _ONE - wait / _F(180), _ONE + wait / _F(30))
    return np.clip(value, _ZERO, _ONE)


def chinese(t: Side, p: Side) -> np.ndarray:
    """Chinese (HSK) level against the post's minimum; a bonus above neutral when none."""
    level = t.chinese_level.astype(_F)
    required = p.min_chinese.astype(_F)
    unset = NEUTRAL + level / _F(12)
    graded = np.where(level >= required, _ONE, _F(0.5) * level / np.maximum(required, _ONE))
    return np.where(p.min_chinese == UNSET, unset, graded)


def star_level(t: Side, p: Side) -> np.ndarray:
    """Star level out of five (0 before any evaluation)."""
    return t.star_level.astype(_F) / _F(5)


def red_list(t: Side, p: Side) -> np.ndarray:
    """1 for a red-listed teacher."""
    return t.red_list.astype(_F)


def evaluation(t: Side, p: Side) -> np.ndarray:
    """Mean evaluation in [0, 1]; neutral without history."""
    value = t.evaluation.astype(_F)
    return np.where(np.isnan(value), NEUTRAL, value)


@dataclass(frozen=True)
class Component:
    code: str
    func: Callable[[Side, Side], np.ndarray]
    feed: str | None = None  # Teachers field that must be set for the component to count


COMPONENTS: tuple[Component, ...] = (
    Component("subject", subject_fit),
    Component("level", level_fit),
    Component("qualifications", qualifications),
    Component("experience", experience),
    Component("district", district),
    Component("salary", salary),
    Component("start_date", start_date),
    Component("chinese", chinese),
    Component("star_level", star_level, feed="star_level"),
    Component("red_list", red_list, feed="red_list"),
    Component("evaluation", evaluation, feed="evaluation"),
)
COMPONENT_CODES = tuple(c.code for c in COMPONENTS)


@dataclass(frozen=True)
class Weights:
    """Relative component weights; normalised over the active components."""

    subject: float = 3.0
    level: float = 2.0
    qualifications: float = 1.5
    experience: float = 1.5
    district: float = 1.0
    salary: float = 1.5
    start_date: float = 1.0
    chinese: float = 0.5
    star_level: float = 1.0
    red_list: float = 0.5
    evaluation: float = 1.0

    def __post_init__(self) -> None:
        if any(w < 0 for w in asdict(self).values()):
            raise ValueError("weights must be non-negative")


@dataclass(frozen=True)
class ScoringPlan:
    """The active components with float32 weights summing to one."""

    components: tuple[Component, ...]
    weights: tuple[np.float32, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.components)


def plan_scoring(teachers: Teachers, weights: Weights | None = None) -> ScoringPlan:
    """Pick the components that have a weight and data, and normalise their weights."""
    raw = asdict(weights or Weights())
    active = [
        c
        for c in COMPONENTS
        if raw[c.code] > 0 and (c.feed is None or getattr(teachers, c.feed) is not None)
    ]
    if not active:
        raise ValueError("no component has a positive weight")
    total = sum(raw[c.code] for c in active)
    return ScoringPlan(tuple(active), tuple(_F(raw[c.code] / total) for c in active))


def score_sides(
    t: Side, p: Side, plan: ScoringPlan, values: dict[str, np.ndarray] | None = None
) -> np.ndarray:
    """Return int32 scores for the pairs of two gathered sides; fill ``values`` if given."""
    acc = None
    for comp, weight in zip(plan.components, plan.weights, strict=True):
        value = comp.func(t, p)
        if values is not None:
            values[comp.code] = value
        term = value * weight
        acc = term if acc is None else acc + term
    return np.clip(np.rint(acc * _F(MAX_SCORE)), 0, MAX_SCORE).astype(np.int32)


def score_pairs(
    teachers: Teachers,
    posts: Posts,
    ti: np.ndarray,
    pj: np.ndarray,
    plan: ScoringPlan,
) -> np.ndarray:
    """Return int32 scores of pairs (ti[k], pj[k]) whatever the hard rules say."""
    return score_sides(Side(teachers, ti), Side(posts, pj), plan)

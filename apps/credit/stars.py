"""Star level arithmetic: pure Python, no Django, so it can be tested over many histories.

A quarter's scores are the average of every school's evaluation of the teacher in that quarter
(two schools of a cluster may both evaluate). The level is the highest rule whose thresholds
the last `window` evaluated quarters meet; credit caps it afterwards.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

DIMENSIONS = ("law_compliance", "teaching_duties", "daily_conduct")

# Explanation codes (rendered into the reader's language by apps.credit.explanations).
TOO_FEW_QUARTERS = "too_few_quarters"
NO_RULE_MET = "no_rule_met"
RULE_MET = "rule_met"
CAP_SERIOUS = "serious"
CAP_GENERAL = "general"

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class QuarterScores:
    """One evaluated quarter: the mean score per dimension and whether an incident happened."""

    quarter_start: date
    scores: tuple[Decimal, Decimal, Decimal]  # in DIMENSIONS order
    incident: bool


@dataclass(frozen=True)
class Rule:
    level: int
    min_mean: Decimal
    min_lowest: Decimal
    max_incidents: int
    min_quarters: int


@dataclass(frozen=True)
class StarResult:
    """A computed level (None: no stars) and the codes and numbers that explain it."""

    level: int | None
    explanation: dict = field(default_factory=dict)


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def quarters_from_results(
    results: Iterable[tuple[date, Decimal, Decimal, Decimal, bool]],
) -> list[QuarterScores]:
    """Average (quarter_start, law, teaching, conduct, incident) rows per quarter, newest first."""
    grouped: dict[date, list[tuple[Decimal, Decimal, Decimal, bool]]] = defaultdict(list)
    for quarter, law, teaching, conduct, incident in results:
        grouped[quarter].append((Decimal(law), Decimal(teaching), Decimal(conduct), incident))
    quarters = []
    for quarter, rows in grouped.items():
        scores = tuple(_mean([row[i] for row in rows]) for i in range(3))
        quarters.append(QuarterScores(quarter, scores, any(row[3] for row in rows)))
    return sorted(quarters, key=lambda q: q.quarter_start, reverse=True)


def _round(value: Decimal) -> str:
    return str(value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP))


def star_level_compute(
    quarters: Sequence[QuarterScores],
    rules: Iterable[Rule],
    *,
    window: int,
    min_quarters: int,
    cap: str | None = None,
    general_cap_level: int = 2,
) -> StarResult:
    """Return the star level of the newest `window` quarters under the rules, capped by credit.

    `cap` is None, CAP_GENERAL (at most `general_cap_level`) or CAP_SERIOUS (no stars).
    """
    recent = sorted(quarters, key=lambda q: q.quarter_start, reverse=True)[:window]
    count = len(recent)
    if count < min_quarters:
        level, explanation = (
            None,
            {"code": TOO_FEW_QUARTERS, "quarters": count, "needed": min_quarters},
        )
    else:
        means = [_mean([q.scores[i] for q in recent]) for i in range(3)]
        mean = _mean(means)
        lowest_index = min(range(3), key=lambda i: (means[i], i))
        incidents = sum(1 for q in recent if q.incident)
        level = None
        for rule in sorted(rules, key=lambda r: r.level, reverse=True):
            if (
                count >= max(rule.min_quarters, min_quarters)
                and mean >= rule.min_mean
                and means[lowest_index] >= rule.min_lowest
                and incidents <= rule.max_incidents
            ):
                level = rule.level
                break
        explanation = {
            "code": RULE_MET if level else NO_RULE_MET,
            "mean": _round(mean),
            "quarters": count,
            "lowest_dimension": DIMENSIONS[lowest_index],
            "lowest": _round(means[lowest_index]),
            "incidents": incidents,
            "means": {name: _round(means[i]) for i, name in enumerate(DIMENSIONS)},
        }
    uncapped = level
    if cap == CAP_SERIOUS and level is not None:
        level = None
    elif cap == CAP_GENERAL and level is not None and level > general_cap_level:
        level = general_cap_level if general_cap_level > 0 else None
    if level != uncapped:
        explanation = {**explanation, "cap": cap, "uncapped": uncapped, "cap_level": level}
    return StarResult(level, {**explanation, "level": level})

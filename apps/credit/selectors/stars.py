"""Star level reads: current levels in bulk, one teacher's level with its explanation."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from apps.core.selectors import policy_settings_get

from ..explanations import star_explanation_render
from ..models import StarLevelHistory, StarRule, TeacherStarLevel


def teacher_star_levels(teacher_ids: Iterable[int]) -> dict[int, int | None]:
    """Return {teacher id: current star level or None} for the given teachers (one query)."""
    teacher_ids = list(teacher_ids)
    levels: dict[int, int | None] = dict.fromkeys(teacher_ids)
    levels.update(
        TeacherStarLevel.objects.filter(teacher_id__in=teacher_ids).values_list(
            "teacher_id", "level"
        )
    )
    return levels


@dataclass(frozen=True)
class StarLevelView:
    level: int | None
    explanation: str
    updated_at: object = None


def teacher_star_level_get(teacher) -> StarLevelView:
    """Return a teacher's current star level and its explanation in the active language."""
    row = TeacherStarLevel.objects.filter(teacher=teacher).first()
    if row is None:
        needed = policy_settings_get().star_min_quarters
        explanation = {"code": "too_few_quarters", "quarters": 0, "needed": needed}
        return StarLevelView(None, star_explanation_render(explanation))
    return StarLevelView(row.level, star_explanation_render(row.explanation), row.updated_at)


def teacher_star_history(teacher) -> QuerySet[StarLevelHistory]:
    """Return a teacher's star level changes, newest first."""
    return StarLevelHistory.objects.filter(teacher=teacher).select_related("actor")


def star_rules_list() -> QuerySet[StarRule]:
    """Return the star rules, highest level first."""
    return StarRule.objects.all()


@dataclass(frozen=True)
class MatchingCredit:
    """What matching reads about each teacher: star level (0 = none), red list, evaluation."""

    star_level: dict[int, int]
    red_list: set[int]
    evaluation: dict[int, float]  # mean score over the counted quarters, scaled to [0, 1]


def teacher_matching_credit(teacher_ids: Iterable[int], *, on) -> MatchingCredit:
    """Return the matching engine's credit inputs for these teachers (four queries).

    The evaluation is the mean score over the same evaluated quarters the star level counts.
    """
    from collections import defaultdict
    from decimal import Decimal

    from ..models import EvaluationResult
    from ..stars import quarters_from_results
    from .enforcement import commended_teacher_ids

    ids = list(teacher_ids)
    window = policy_settings_get().star_window_quarters
    rows: dict[int, list] = defaultdict(list)
    for row in EvaluationResult.objects.filter(
        teacher_id__in=ids, quarter_start__lte=on
    ).values_list(
        "teacher_id",
        "quarter_start",
        "law_compliance",
        "teaching_duties",
        "daily_conduct",
        "serious_incident",
    ):
        rows[row[0]].append(row[1:])
    evaluation = {}
    for teacher_id, results in rows.items():
        recent = quarters_from_results(results)[:window]
        total = sum((sum(q.scores, Decimal(0)) for q in recent), Decimal(0))
        evaluation[teacher_id] = float(total / (3 * len(recent))) / 5.0
    levels = teacher_star_levels(ids)
    return MatchingCredit(
        star_level={pk: level or 0 for pk, level in levels.items()},
        red_list=commended_teacher_ids(on=on, among=ids),
        evaluation=evaluation,
    )

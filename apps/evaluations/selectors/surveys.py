"""Survey results, only ever as aggregates over at least the policy's number of respondents.

Privacy rule: the smallest block ever aggregated is one (question, round, district) of the
scope; a block is usable only when at least `survey_privacy_threshold` distinct respondents
answered in it. Every figure shown — a quarter's cell, the "all quarters" total, a city or
district figure in a report — is computed from usable blocks alone, so no difference of two
shown figures can isolate the answers of a withheld block.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum

from apps.core.selectors import policy_settings_get
from apps.schools.selectors import bureau_membership_for_user, schools_visible_to_bureau

from ..caching import SURVEY_CACHE_SECONDS, survey_versions
from ..models import (
    EvaluationRound,
    SurveyAnswer,
    SurveyDirection,
    SurveyQuestion,
)

RECENT_ROUNDS = 4

# Who answered: a teacher about a school counts once per teacher, a school about a teacher once
# per school, however many quarters or contracts the answers span.
RESPONDENT = {
    SurveyDirection.TEACHER_ABOUT_SCHOOL: "response__evaluation__teacher_id",
    SurveyDirection.SCHOOL_ABOUT_TEACHER: "response__evaluation__school_id",
}
ROUND = "response__evaluation__round_id"
DISTRICT = "response__evaluation__school__district_id"


@dataclass(frozen=True)
class Cell:
    """One aggregate: an average only when it rests on blocks with enough respondents.

    `count` is the number of answers the average covers (the answers in withheld blocks when
    nothing is shown); the evaluations pages never print it. Since withheld answers never
    enter an average, a count next to an average cannot be used to subtract them back out.
    """

    count: int
    average: Decimal | None

    @property
    def shown(self) -> bool:
        return self.average is not None


@dataclass
class _Sum:
    answers: int = 0
    total: int = 0
    withheld: int = 0

    def add(self, block: dict, threshold: int) -> None:
        if block["respondents"] >= threshold:
            self.answers += block["n"]
            self.total += block["total"]
        else:
            self.withheld += block["n"]  # too few people: kept out of every figure

    def cell(self) -> Cell:
        if not self.answers:
            return Cell(count=self.withheld, average=None)
        average = (Decimal(self.total) / Decimal(self.answers)).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )
        return Cell(count=self.answers, average=average)


@dataclass
class SurveyTable:
    direction: str
    rounds: list[EvaluationRound]
    rows: list[tuple[SurveyQuestion, list[Cell], Cell]]
    threshold: int


def survey_table(
    *,
    direction: str,
    where: Q,
    rounds: list[EvaluationRound] | None = None,
    by_district: bool = True,
) -> SurveyTable:
    """Aggregate the answers matching `where` per question and round, plus all rounds together.

    Each figure sums only the (question, round, district) blocks that reach the privacy
    threshold in distinct respondents (see the module docstring); `by_district=False` makes
    (question, round) the block, for a scope that no other published figure overlaps.
    """
    threshold = policy_settings_get().survey_privacy_threshold
    if rounds is None:
        rounds = list(EvaluationRound.objects.order_by("-starts_on")[:RECENT_ROUNDS])
    blocks = (
        SurveyAnswer.objects.filter(
            where,
            response__direction=direction,
            response__evaluation__round__in=rounds,
        )
        .values("question_id", ROUND, *([DISTRICT] if by_district else []))
        .annotate(
            respondents=Count(RESPONDENT[direction], distinct=True),
            n=Count("pk"),
            total=Sum("score"),
        )
        .order_by()
    )
    per_round: dict[tuple[int, int], _Sum] = {}
    overall: dict[int, _Sum] = {}
    for block in blocks:
        key = (block["question_id"], block[ROUND])
        per_round.setdefault(key, _Sum()).add(block, threshold)
        overall.setdefault(block["question_id"], _Sum()).add(block, threshold)
    rows = []
    for question in SurveyQuestion.objects.filter(direction=direction, is_active=True):
        cells = [per_round.get((question.pk, round_.pk), _Sum()).cell() for round_ in rounds]
        rows.append((question, cells, overall.get(question.pk, _Sum()).cell()))
    return SurveyTable(direction=direction, rounds=rounds, rows=rows, threshold=threshold)


def _cached(scope: str, answers: str | None, build: Callable[[], Any]) -> Any:
    # The tables hold model rows whose translated fields are read when the page renders, so
    # one entry serves every language. `answers`: the scope whose new answers retire it.
    key = f"evaluations:surveys:{scope}:{survey_versions(answers)}"
    tables = cache.get(key)
    if tables is None:
        tables = build()
        cache.set(key, tables, SURVEY_CACHE_SECONDS)
    return tables


def survey_results_for_school(*, school: Any, cached: bool = False) -> SurveyTable:
    """What the school's teachers think of it, aggregated (never one teacher's answers).

    `cached`: read it from the cache kept per school until a survey about it (caching.py).
    """
    if cached:
        scope = f"school:{school.pk}"
        return _cached(scope, scope, lambda: survey_results_for_school(school=school))
    return survey_table(
        direction=SurveyDirection.TEACHER_ABOUT_SCHOOL,
        where=Q(response__evaluation__school=school),
    )


def survey_results_for_teacher(*, teacher: Any, cached: bool = False) -> SurveyTable:
    """What schools think of the teacher, aggregated (never one school's answers).

    `cached`: read it from the cache kept per teacher until a survey about them (caching.py).
    """
    if cached:
        scope = f"teacher:{teacher.pk}"
        return _cached(scope, scope, lambda: survey_results_for_teacher(teacher=teacher))
    # Only the teacher sees this scope, so a block may span the districts of their schools.
    return survey_table(
        direction=SurveyDirection.SCHOOL_ABOUT_TEACHER,
        where=Q(response__evaluation__teacher=teacher),
        by_district=False,
    )


def survey_results_for_bureau(*, user: Any, direction: str, district: Any = None) -> SurveyTable:
    """Satisfaction in the bureau's jurisdiction (optionally one district), aggregated."""
    schools: QuerySet = schools_visible_to_bureau(user)
    if district is not None:
        schools = schools.filter(district=district)
    return survey_table(direction=direction, where=Q(response__evaluation__school__in=schools))


def _bureau_scope(user: Any, district: Any) -> tuple[str, str | None]:
    """Return the set of schools a bureau's tables show and the scope whose answers count."""
    membership = bureau_membership_for_user(user)
    own = membership.district_id if membership else None
    wanted = district.pk if district is not None else None
    if membership is None:
        return "bureau:none", None  # no jurisdiction: nothing shown
    if own is None:
        scope = f"district:{wanted}" if wanted is not None else "city"
        return f"bureau:{scope}", scope
    if wanted in (None, own):
        return f"bureau:district:{own}", f"district:{own}"
    # Another district's schools within theirs: none, so no answer changes the tables.
    return f"bureau:district:{own}:{wanted}", None


def survey_tables_key_for_bureau(*, user: Any, district: Any = None) -> str:
    """Return the key the bureau's tables are cached under, for the page's rendered copy."""
    scope, answers = _bureau_scope(user, district)
    return f"{scope}:{survey_versions(answers)}"


def survey_tables_for_bureau(*, user: Any, district: Any = None) -> list[SurveyTable]:
    """Both directions' tables for the bureau's jurisdiction (optionally one district), cached.

    Kept per set of schools shown (the city, or one district whoever asks for it) until a
    survey about one of them (caching.py); a viewer without a jurisdiction sees empty tables.
    """
    scope, answers = _bureau_scope(user, district)
    return _cached(
        scope,
        answers,
        lambda: [
            survey_results_for_bureau(user=user, direction=direction, district=district)
            for direction in SurveyDirection
        ],
    )

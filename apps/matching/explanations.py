"""Readable explanations of the engine's codes: component labels, each component's share, and
why a teacher or vacancy went unmatched (center staff)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import numpy as np
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.admission.availability import AVAILABILITY_MESSAGES
from apps.admission.rules import RuleResult
from apps.admission.selectors import AdmissionResult, evaluate_admission
from apps.core.models import District
from apps.core.selectors import policy_settings_get
from apps.teachers.models import Teacher, TeacherStatus
from apps.vacancies.models import Vacancy, VacancyStatus

from .compute import season_applications
from .engine import (
    COMPONENT_CODES,
    PAIR_RULE_CODES,
    SCORE_SCALE,
    explain_pair,
    pair_rule_masks,
)
from .engine.explain import SHOWN_CANDIDATES, rival_code
from .loader import load_matching_data, suggestible_teacher_ids
from .models import MatchRun, MatchSuggestion, RunKind

COMPONENT_LABELS = {
    "subject": _("Subjects"),
    "level": _("School levels"),
    "qualifications": _("Degree and certificate"),
    "experience": _("Years of teaching"),
    "district": _("Preferred district"),
    "salary": _("Salary expectation"),
    "start_date": _("Start date"),
    "chinese": _("Chinese proficiency"),
    "star_level": _("Star rating"),
    "red_list": _("Commendation"),
    "evaluation": _("Evaluations"),
}


@dataclass(frozen=True)
class ComponentLine:
    code: str
    label: str
    value: float  # 0..1
    weight: float  # share of the score, 0..1
    points: float  # value * weight * 100

    @property
    def percent(self) -> int:
        return round(self.value * 100)

    @property
    def weight_percent(self) -> int:
        return round(self.weight * 100)


def component_lines(components: dict[str, float], weights: dict[str, float]) -> list[ComponentLine]:
    """Return the pair's components in engine order with weights normalised over those shown."""
    codes = [code for code in COMPONENT_CODES if code in components]
    total = sum(weights.get(code, 0) for code in codes) or 1
    return [
        ComponentLine(
            code,
            str(COMPONENT_LABELS[code]),
            components[code],
            weights.get(code, 0) / total,
            components[code] * weights.get(code, 0) / total * 100,
        )
        for code in codes
    ]


def main_reasons(
    components: dict[str, float], weights: dict[str, float], *, count: int = 3
) -> list[ComponentLine]:
    """Return the components that contributed most points, best first (a teacher's summary)."""
    lines = component_lines(components, weights)
    return sorted(lines, key=lambda line: (-line.points, line.code))[:count]


# --- Why a teacher or vacancy went unmatched, and one pair live (center staff) ---------------
# These read the database (stored run rows, live facts) and turn the engine's codes into text.

RULE_TEXTS = {
    "not_eligible": _("The teacher does not pass the admission standard."),
    "blacklisted": _("A credit restriction on the teacher is in force."),
    "opted_out": _("The teacher has not opted in to suggestions."),
    "subject": _("The teacher teaches none of the vacancy's subjects."),
    "native_language": _("Language subjects are taught by native speakers of that language."),
    "level": _("The teacher has not chosen the school levels this vacancy is for."),
    "category": _("The vacancy does not accept teachers of the teacher's category."),
    "start_date": _(
        "The teacher can start only more than %(days)s days after the contract begins."
    ),
}

# Reasons about one of a teacher's best vacancies (``vacancy``), scores in points.
TEACHER_REASON_TEXTS = {
    "outranked": _(
        "%(vacancy)s went to a teacher scoring %(rival)s, at least as much as this "
        "teacher's %(score)s."
    ),
    "capacity": _(
        "%(vacancy)s went to a teacher scoring %(rival)s, less than this teacher's %(score)s: "
        "the assignment as a whole scored higher that way."
    ),
    "not_selected": _(
        "%(vacancy)s still has room; this pair (score %(score)s) was not among the pairs the "
        "assignment considered."
    ),
    "preferred": _(
        "The school of %(vacancy)s preferred the applicant it got (score %(rival)s; this "
        "teacher %(score)s)."
    ),
}

# Reasons about one of a vacancy's best teachers (``teacher``, assigned to ``vacancy``).
VACANCY_REASON_TEXTS = {
    "outranked": _(
        "%(teacher)s went to %(vacancy)s, scoring %(rival)s there, at least as much as "
        "%(score)s here."
    ),
    "capacity": _(
        "%(teacher)s went to %(vacancy)s at a lower score (%(rival)s against %(score)s here): "
        "the assignment as a whole scored higher that way."
    ),
    "not_selected": _(
        "%(teacher)s (score %(score)s here) stayed unassigned: the pair was not among the "
        "pairs the assignment considered."
    ),
    "preferred": _("%(teacher)s took %(vacancy)s, which they preferred (score %(rival)s)."),
}


def rule_text(code: str) -> str:
    """Return the readable sentence for an engine hard-rule code."""
    text = gettext(RULE_TEXTS[code])
    if code != "start_date":
        return text
    # The one rule text with a number: the policy's tolerance on the contract start.
    return text % {"days": policy_settings_get().start_tolerance_days}


# Why a selected pair was not pushed to its school: the teacher's codes (loader's
# unsuggestible_reasons) say what they say everywhere else; the rest belong to the push.
PUSH_SKIP_TEXTS = {
    "unverified": _("The teacher's profile is no longer verified."),
    "opted_out": RULE_TEXTS["opted_out"],
    "no_category": _("The teacher has no category yet."),
    "blacklisted": RULE_TEXTS["blacklisted"],
    "admission": RULE_TEXTS["not_eligible"],
    **AVAILABILITY_MESSAGES,
    "vacancy_closed": _("This vacancy is no longer open."),
    "applied": _("The teacher has already applied: the school sees them among its applicants."),
    "acted_on": _("The school or the teacher has already acted on this suggestion."),
    "pushed_meanwhile": _("A colleague pushed this pair at the same moment."),
}


def push_skip_text(code: str) -> str:
    """Return the readable reason a pair was not pushed (codes of recommendations_push)."""
    return gettext(PUSH_SKIP_TEXTS[code])


@dataclass(frozen=True)
class TeacherCheck:
    """Why a teacher cannot be suggested at all (empty when they can).

    ``codes`` are the conditions in the order a teacher would fix them: unverified,
    opted_out, blacklisted, employed or offer_accepted (not available for hiring), no_category,
    admission (any other admission rule failing).
    """

    codes: list[str]
    problems: list[str]  # the center's sentences for codes other than "admission"
    admission_failures: list[RuleResult]

    @property
    def suggestible(self) -> bool:
        return not self.codes


def teacher_check(
    teacher: Teacher, *, on: date, admission: AdmissionResult | None = None
) -> TeacherCheck:
    """Say which of the suggestibility conditions a teacher fails today (a few queries).

    The same conditions as ``loader.suggestible_teacher_ids``, one by one with reasons.
    ``admission``: the teacher's result on that day when the caller already evaluated it.
    """
    codes, problems = [], []
    if teacher.status != TeacherStatus.VERIFIED:
        codes.append("unverified")
        problems.append(
            gettext("Not verified: the profile is at “%(status)s”.")
            % {"status": teacher.get_status_display()}
        )
    if not teacher.open_to_suggestions:
        codes.append("opted_out")
        problems.append(rule_text("opted_out"))
    # The admission standard is the one place that checks the black list and availability.
    if admission is None:
        admission = evaluate_admission([teacher.pk], on=on)[teacher.pk]
    if "blacklisted" in admission.failed_codes:
        codes.append("blacklisted")
        problems.append(rule_text("blacklisted"))
    if not admission.available:
        codes.append(admission.availability.code)
        problems.append(admission.availability.text)
    if teacher.category is None:
        codes.append("no_category")
        problems.append(gettext("The teacher has no category yet."))
    # Verification and the black list are said above in the center's words.
    failures = [rule for rule in admission.failed if rule.code not in ("verified", "blacklisted")]
    if failures:
        codes.append("admission")
    return TeacherCheck(codes, problems, failures)


def vacancy_problems(vacancy: Vacancy) -> list[str]:
    """Say why a vacancy cannot take part in a run at all (empty when it can)."""
    problems = []
    if vacancy.status != VacancyStatus.PUBLISHED:
        problems.append(
            gettext("The vacancy is not published (it is “%(status)s”).")
            % {"status": vacancy.get_status_display()}
        )
    if vacancy.filled_posts >= vacancy.posts:
        problems.append(gettext("All of the vacancy's posts are filled."))
    return problems


@dataclass(frozen=True)
class ReasonLine:
    code: str
    text: str
    teacher_id: int
    vacancy_code: str  # for the link to the pair's explanation


@dataclass(frozen=True)
class RuleTally:
    """How many of the scope's other side each hard rule ruled out (``no_candidates``)."""

    scope_size: int
    rows: list[tuple[str, int]]  # (readable rule, how many failed it)
    passing: int  # how many pass every rule today


@dataclass(frozen=True)
class WhyNot:
    """Why a teacher or vacancy got nothing (or less than it could) in a run."""

    matched: list[MatchSuggestion]  # the run's assigned rows of the teacher or vacancy
    full: bool  # assigned (teacher) or every post filled (vacancy): nothing to explain
    teacher_check: TeacherCheck | None = None
    problems: list[str] = field(default_factory=list)  # vacancy or scope problems
    reasons: list[ReasonLine] = field(default_factory=list)
    tally: RuleTally | None = None
    # Teachers on the page who can no longer be suggested: shown without their name.
    unsuggestible: frozenset[int] = frozenset()

    @property
    def no_candidates(self) -> bool:
        return self.tally is not None


def _capacity(vacancy: Vacancy) -> int:
    # As the loader counts it: a cluster post is one post; else the posts still open.
    return 1 if vacancy.cluster_id else max(vacancy.posts - vacancy.filled_posts, 1)


def _points(units) -> str:
    return f"{Decimal(units):.2f}"


def _scope_vacancies(run: MatchRun, teacher: Teacher) -> tuple[District | None, Q | None]:
    if run.kind == RunKind.STABLE:
        applied = season_applications(run.season_start, run.season_end, district=run.district)
        return None, Q(pk__in=applied.filter(teacher=teacher).values("vacancy_id"))
    if run.kind == RunKind.INCREMENTAL and run.vacancy_id:
        return None, Q(pk=run.vacancy_id)
    return run.district, None


def _scope_teachers(run: MatchRun, vacancy: Vacancy) -> tuple[District | None, Q | None]:
    if run.kind == RunKind.STABLE:
        applied = season_applications(run.season_start, run.season_end, district=run.district)
        return None, Q(pk__in=applied.filter(vacancy=vacancy).values("teacher_id"))
    if run.kind == RunKind.INCREMENTAL and run.teacher_id:
        return None, Q(pk=run.teacher_id)
    return run.district, None


def _tally(data, ti: np.ndarray, pj: np.ndarray, codes) -> RuleTally:
    tolerance = policy_settings_get().start_tolerance_days
    masks = pair_rule_masks(data.teachers, data.posts, ti, pj, start_tolerance_days=tolerance)
    passing = np.ones(len(ti), dtype=bool)
    for mask in masks.values():
        passing &= mask
    rows = [(rule_text(code), int((~masks[code]).sum())) for code in codes]
    return RuleTally(len(ti), [row for row in rows if row[1]], int(passing.sum()))


def why_not_teacher(*, run: MatchRun, teacher: Teacher, on: date | None = None) -> WhyNot:
    """Explain where a teacher went in a run, or why nowhere (engine codes as sentences)."""
    on = on or timezone.localdate()
    rows = MatchSuggestion.objects.filter(run=run, teacher=teacher).select_related(
        "vacancy__school"
    )
    matched = list(rows.filter(assigned=True))
    if matched:
        return WhyNot(matched, True)
    check = teacher_check(teacher, on=on)
    if not check.suggestible:
        return WhyNot([], False, teacher_check=check)
    candidates = list(
        rows.order_by(F("teacher_rank").asc(nulls_last=True), "-score", "vacancy_id")[
            :SHOWN_CANDIDATES
        ]
    )
    if candidates:
        rivals: dict[int, list[Decimal]] = defaultdict(list)
        held = MatchSuggestion.objects.filter(
            run=run, assigned=True, vacancy_id__in=[row.vacancy_id for row in candidates]
        ).values_list("vacancy_id", "score")
        for vacancy_id, score in held:
            rivals[vacancy_id].append(score)
        reasons = []
        for row in candidates:
            taken = rivals[row.vacancy_id]
            weakest = min(taken, default=None)
            if weakest is None or len(taken) < _capacity(row.vacancy):
                code = "not_selected"
            elif run.kind == RunKind.STABLE:
                code = "preferred"
            else:
                code = rival_code(int(row.score * SCORE_SCALE), int(weakest * SCORE_SCALE))
            text = gettext(TEACHER_REASON_TEXTS[code]) % {
                "vacancy": row.vacancy.title,
                "score": _points(row.score),
                "rival": _points(weakest) if weakest is not None else "–",
            }
            reasons.append(ReasonLine(code, text, teacher.pk, str(row.vacancy.code)))
        return WhyNot([], False, teacher_check=check, reasons=reasons)
    district, vacancies = _scope_vacancies(run, teacher)
    data = load_matching_data(
        district=district, on=on, teachers=Q(pk=teacher.pk), vacancies=vacancies
    )
    if not len(data.teacher_ids):
        # Suggestible, yet outside the scope: a district run skips teachers preferring others.
        problem = gettext("The teacher prefers other districts, so this run did not consider them.")
        return WhyNot([], False, teacher_check=check, problems=[problem])
    n = len(data.vacancy_ids)
    tally = _tally(data, np.zeros(n, np.int64), np.arange(n), PAIR_RULE_CODES)
    return WhyNot([], False, teacher_check=check, tally=tally)


def why_not_vacancy(*, run: MatchRun, vacancy: Vacancy, on: date | None = None) -> WhyNot:
    """Explain who filled a vacancy in a run, or why its posts stayed open.

    Teachers who can no longer be suggested are counted but not named.
    """
    on = on or timezone.localdate()
    rows = MatchSuggestion.objects.filter(run=run, vacancy=vacancy).select_related("teacher")
    matched = list(rows.filter(assigned=True))
    if len(matched) >= _capacity(vacancy):
        return WhyNot(matched, True, unsuggestible=_unsuggestible(matched, on=on))
    problems = vacancy_problems(vacancy)
    if problems:
        hidden = _unsuggestible(matched, on=on)
        return WhyNot(matched, False, problems=problems, unsuggestible=hidden)
    candidates = list(
        rows.filter(assigned=False).order_by(
            F("rank").asc(nulls_last=True), "-score", "teacher_id"
        )[:SHOWN_CANDIDATES]
    )
    hidden = _unsuggestible(matched + candidates, on=on)
    if candidates:
        elsewhere = {
            row.teacher_id: row
            for row in MatchSuggestion.objects.filter(
                run=run, assigned=True, teacher_id__in=[row.teacher_id for row in candidates]
            ).select_related("vacancy")
        }
        reasons = []
        for row in candidates:
            there = elsewhere.get(row.teacher_id)
            if there is None:
                code = "not_selected"
            elif run.kind == RunKind.STABLE:
                code = "preferred"
            else:
                code = rival_code(int(row.score * SCORE_SCALE), int(there.score * SCORE_SCALE))
            name = teacher_label(row.teacher, suggestible=row.teacher_id not in hidden)
            text = gettext(VACANCY_REASON_TEXTS[code]) % {
                "teacher": name,
                "vacancy": there.vacancy.title if there else "–",
                "score": _points(row.score),
                "rival": _points(there.score) if there else "–",
            }
            reasons.append(ReasonLine(code, text, row.teacher_id, str(vacancy.code)))
        return WhyNot(matched, False, reasons=reasons, unsuggestible=hidden)
    district, teachers = _scope_teachers(run, vacancy)
    data = load_matching_data(
        district=district, on=on, teachers=teachers, vacancies=Q(pk=vacancy.pk)
    )
    if not len(data.vacancy_ids):
        problem = gettext("The vacancy is outside this run's scope.")
        return WhyNot(matched, False, problems=[problem], unsuggestible=hidden)
    n = len(data.teacher_ids)
    tally = _tally(data, np.arange(n), np.zeros(n, np.int64), PAIR_RULE_CODES)
    return WhyNot(matched, False, tally=tally, unsuggestible=hidden)


def _unsuggestible(rows: list[MatchSuggestion], *, on: date) -> frozenset[int]:
    ids = {row.teacher_id for row in rows}
    return frozenset(ids - suggestible_teacher_ids(ids, on=on)) if ids else frozenset()


def teacher_name(teacher: Teacher) -> str:
    """Return the name center staff know a teacher by (no query)."""
    return teacher.legal_name or gettext("Teacher %(id)s") % {"id": teacher.pk}


UNSUGGESTIBLE_TEACHER = _("A teacher who can no longer be suggested")


def teacher_label(teacher: Teacher, *, suggestible: bool) -> str:
    """Return the teacher's name, or a neutral label once they can no longer be suggested."""
    return teacher_name(teacher) if suggestible else gettext(UNSUGGESTIBLE_TEACHER)


@dataclass(frozen=True)
class PairReport:
    """A live explanation of one teacher–vacancy pair (center staff)."""

    teacher: Teacher
    vacancy: Vacancy
    teacher_check: TeacherCheck | None  # set when the teacher cannot be suggested
    vacancy_problems: list[str]
    failed_rules: list[str]
    lines: list[ComponentLine]
    score: float | None

    @property
    def explained(self) -> bool:
        return self.score is not None


def pair_report(*, teacher: Teacher, vacancy: Vacancy, on: date | None = None) -> PairReport:
    """Explain one pair with today's data: failed hard rules, each component and the score."""
    on = on or timezone.localdate()
    data = load_matching_data(on=on, teachers=Q(pk=teacher.pk), vacancies=Q(pk=vacancy.pk))
    check = None if len(data.teacher_ids) else teacher_check(teacher, on=on)
    problems = [] if len(data.vacancy_ids) else vacancy_problems(vacancy)
    if check is not None or not len(data.vacancy_ids):
        return PairReport(teacher, vacancy, check, problems, [], [], None)
    from .selectors.weights import matching_weights_get  # selectors import this module

    explained = explain_pair(
        data.teachers,
        data.posts,
        0,
        0,
        weights=matching_weights_get(),
        start_tolerance_days=policy_settings_get().start_tolerance_days,
    )
    components = {c.code: c.value for c in explained.components}
    weights = {c.code: c.weight for c in explained.components}
    return PairReport(
        teacher,
        vacancy,
        None,
        [],
        [rule_text(code) for code in explained.failed_rules],
        component_lines(components, weights),
        explained.score,
    )

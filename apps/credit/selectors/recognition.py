"""Recognition lists: rule-based candidates for a long-term work permit or the Friendship Award.

"Years in Hangzhou" is read from the teacher's first evaluated quarter: every teacher employed
by a Hangzhou school is evaluated each quarter, and credit may not read employment (a layer up).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils.translation import get_language

from apps.core.selectors import policy_settings_get

from ..caching import RECOGNITION_SECONDS, recognition_version
from ..models import (
    CreditRecord,
    EvaluationResult,
    Nomination,
    NominationKind,
    NominationStatus,
    RecordKind,
    RecordStatus,
    TeacherStarLevel,
)
from ..stars import Rule, quarters_from_results, star_level_compute
from .enforcement import commendation_in_force_q


@dataclass(frozen=True)
class Candidate:
    teacher_id: int
    teacher_code: object
    name: str
    nationality: str
    star_level: int
    quarters_at_level: int
    evaluated_since: date
    commended: bool
    nomination: Nomination | None


def _consecutive_quarters(
    results: list, rules: list[Rule], *, minimum: int, window: int, min_quarters: int
) -> int:
    """Count the newest evaluated quarters in a row whose rolling level reached `minimum`."""
    quarters = quarters_from_results(results)
    count = 0
    for index in range(len(quarters)):
        level = star_level_compute(
            quarters[index:], rules, window=window, min_quarters=min_quarters
        ).level
        if level is None or level < minimum:
            break
        count += 1
    return count


def recognition_candidates(*, kind: str, on: date) -> list[Candidate]:
    """Return the teachers who meet the recognition rules of `kind` on the date, best first.

    Cached per kind, date and language (nationalities are named in it) until a row the rules
    read is written (credit.caching).
    """
    key = f"credit:recognition:{kind}:{on}:{get_language()}:{recognition_version()}"
    candidates = cache.get(key)
    if candidates is None:
        candidates = _recognition_candidates(kind=kind, on=on)
        cache.set(key, candidates, RECOGNITION_SECONDS)
    return candidates


def _recognition_candidates(*, kind: str, on: date) -> list[Candidate]:
    policy = policy_settings_get()
    if kind == NominationKind.LONG_TERM_PERMIT:
        min_stars = policy.permit_recommendation_min_stars
        min_quarters = policy.permit_recommendation_min_quarters
        min_years = policy.permit_recommendation_min_years
        need_commendation = True
    else:
        min_stars = policy.friendship_award_min_stars
        min_quarters = policy.friendship_award_min_quarters
        min_years = policy.friendship_award_min_years
        need_commendation = False
    teacher_records = CreditRecord.objects.filter(teacher=OuterRef("teacher_id"))
    # Any restriction not ended (proposed, notified, objection, active) rules a teacher out.
    restricted = teacher_records.filter(
        kind=RecordKind.NEGATIVE,
        status__in=[
            RecordStatus.PROPOSED,
            RecordStatus.NOTIFIED,
            RecordStatus.OBJECTION,
            RecordStatus.ACTIVE,
        ],
    )
    # One query: the starred teachers' ids are not sent back as long IN lists.
    rows = (
        TeacherStarLevel.objects.filter(level__gte=min_stars)
        .exclude(Exists(restricted))
        .annotate(commended=Exists(teacher_records.filter(commendation_in_force_q(on=on))))
        .values_list("teacher_id", "level", "commended")
    )
    if need_commendation:
        rows = rows.filter(commended=True)
    starred, commended = {}, set()
    for pk, level, is_commended in rows:
        starred[pk] = level
        if is_commended:
            commended.add(pk)
    ids = list(starred)
    results: dict[int, list] = defaultdict(list)
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
        results[row[0]].append(row[1:])
    from ..models import StarRule

    rules = [
        Rule(r.level, r.min_mean, r.min_lowest_dimension, r.max_incidents, r.min_quarters)
        for r in StarRule.objects.all()
    ]
    nominations = {
        n.teacher_id: n
        for n in Nomination.objects.filter(teacher_id__in=ids, kind=kind).exclude(
            status=NominationStatus.WITHDRAWN
        )
    }
    from apps.teachers.models import Teacher

    names = {
        t.pk: t
        for t in Teacher.objects.filter(pk__in=ids).only("pk", "code", "legal_name", "nationality")
    }
    candidates = []
    for pk in ids:
        rows = results.get(pk, [])
        if not rows:
            continue
        since = min(row[0] for row in rows)
        if date(since.year + min_years, since.month, 1) > on:
            continue
        streak = _consecutive_quarters(
            rows,
            rules,
            minimum=min_stars,
            window=policy.star_window_quarters,
            min_quarters=policy.star_min_quarters,
        )
        if streak < min_quarters:
            continue
        teacher = names[pk]
        candidates.append(
            Candidate(
                pk,
                teacher.code,
                teacher.legal_name,
                str(teacher.nationality.name or ""),
                starred[pk],
                streak,
                since,
                pk in commended,
                nominations.get(pk),
            )
        )
    return sorted(candidates, key=lambda c: (-c.star_level, -c.quarters_at_level, c.name))


def nominations_list(*, kind: str):
    """Return the nominations of a kind, newest first (what the center's list shows)."""
    return (
        Nomination.objects.filter(kind=kind)
        .select_related("teacher")
        .only("code", "kind", "status", "proposed_at", "teacher__legal_name")
    )

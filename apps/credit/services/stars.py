"""Star levels: evaluation results in, one recompute service, history of every change."""

import uuid
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.core.dates import Quarter
from apps.core.selectors import policy_settings_get
from apps.core.services import audit_record, model_snapshot

from .. import signals
from ..models import (
    EvaluationResult,
    StarChangeReason,
    StarLevelHistory,
    StarRule,
    TeacherStarLevel,
)
from ..selectors.enforcement import teacher_credit_caps
from ..stars import Rule, StarResult, quarters_from_results, star_level_compute

RESULT_FIELDS = [
    "source_code",
    "teacher",
    "quarter_start",
    "law_compliance",
    "teaching_duties",
    "daily_conduct",
    "serious_incident",
]


def announce_teacher_credit_changed(teacher_id: int) -> None:
    """Tell matching (after commit) that a teacher's stars or credit changed."""
    transaction.on_commit(
        lambda: signals.teacher_credit_changed.send(sender=TeacherStarLevel, teacher_id=teacher_id)
    )


def _rules() -> list[Rule]:
    return [
        Rule(r.level, r.min_mean, r.min_lowest_dimension, r.max_incidents, r.min_quarters)
        for r in StarRule.objects.all()
    ]


def _compute(teacher_ids: list[int], *, on: date) -> dict[int, StarResult]:
    """Compute the level of each teacher from their results, rules and credit (3 queries)."""
    policy = policy_settings_get()
    rules = _rules()
    caps = teacher_credit_caps(teacher_ids, on=on)
    rows: dict[int, list] = {teacher_id: [] for teacher_id in teacher_ids}
    for row in EvaluationResult.objects.filter(
        teacher_id__in=teacher_ids, quarter_start__lte=on
    ).values_list(
        "teacher_id",
        "quarter_start",
        "law_compliance",
        "teaching_duties",
        "daily_conduct",
        "serious_incident",
    ):
        rows[row[0]].append(row[1:])
    return {
        teacher_id: star_level_compute(
            quarters_from_results(results),
            rules,
            window=policy.star_window_quarters,
            min_quarters=policy.star_min_quarters,
            cap=caps.get(teacher_id),
            general_cap_level=policy.star_cap_general_record,
        )
        for teacher_id, results in rows.items()
    }


@transaction.atomic
def star_levels_recompute(
    *, teacher_ids: Iterable[int], reason: str, actor: Any = None, announce: bool = True
) -> dict[int, int | None]:
    """Recompute the teachers' star levels; record and announce every level that changed.

    ``announce=False`` for city-wide recomputes: the nightly matching run re-ranks everyone,
    rather than one incremental run per changed teacher.
    """
    teacher_ids = sorted(set(teacher_ids))
    if not teacher_ids:
        return {}
    results = _compute(teacher_ids, on=timezone.localdate())
    current = {
        row.teacher_id: row
        for row in TeacherStarLevel.objects.select_for_update().filter(teacher_id__in=teacher_ids)
    }
    created, updated, history = [], [], []
    for teacher_id in teacher_ids:
        result = results[teacher_id]
        row = current.get(teacher_id)
        if row is None:
            row = TeacherStarLevel(
                teacher_id=teacher_id, level=result.level, explanation=result.explanation
            )
            created.append(row)
            previous = None
            changed = result.level is not None
        else:
            previous = row.level
            changed = row.level != result.level
            if not changed and row.explanation == result.explanation:
                continue
            row.level, row.explanation = result.level, result.explanation
            updated.append(row)
        if changed:
            history.append(
                StarLevelHistory(
                    teacher_id=teacher_id,
                    previous_level=previous,
                    level=result.level,
                    reason=reason,
                    explanation=result.explanation,
                    actor=actor if getattr(actor, "is_authenticated", False) else None,
                )
            )
    TeacherStarLevel.objects.bulk_create(created, batch_size=1000)
    now = timezone.now()
    for row in updated:
        row.updated_at = now
    TeacherStarLevel.objects.bulk_update(
        updated, ["level", "explanation", "updated_at"], batch_size=1000
    )
    StarLevelHistory.objects.bulk_create(history, batch_size=1000)
    # Bulk recomputes (seed, rule edits) write one audit event per change, as single ones do.
    for entry in history:
        audit_record(
            actor=actor,
            action="credit.star_level.changed",
            target=entry,
            before={"level": entry.previous_level},
            after={"level": entry.level, **entry.explanation},
            reason=reason,
        )
        if announce:
            announce_teacher_credit_changed(entry.teacher_id)
    return {teacher_id: results[teacher_id].level for teacher_id in teacher_ids}


def star_level_recompute(*, teacher_id: int, reason: str, actor: Any = None) -> int | None:
    """Recompute one teacher's star level; returns it (None: no stars)."""
    return star_levels_recompute(teacher_ids=[teacher_id], reason=reason, actor=actor)[teacher_id]


def star_levels_recompute_all(*, actor: Any = None, reason: str = StarChangeReason.RECOMPUTED):
    """Recompute every teacher with an evaluation or a level, in batches (seed, rule edits)."""
    teacher_ids = set(EvaluationResult.objects.values_list("teacher_id", flat=True).distinct())
    teacher_ids |= set(TeacherStarLevel.objects.values_list("teacher_id", flat=True))
    ordered = sorted(teacher_ids)
    changed = 0
    for start in range(0, len(ordered), 500):
        batch = ordered[start : start + 500]
        before = dict(
            TeacherStarLevel.objects.filter(teacher_id__in=batch).values_list("teacher_id", "level")
        )
        after = star_levels_recompute(teacher_ids=batch, reason=reason, actor=actor, announce=False)
        changed += sum(1 for t in batch if before.get(t) != after[t])
    return changed


@transaction.atomic
def evaluation_result_record(
    *,
    teacher: Any,
    source_code: uuid.UUID,
    quarter_start: date,
    law_compliance: Decimal,
    teaching_duties: Decimal,
    daily_conduct: Decimal,
    serious_incident: bool,
) -> None:
    """Store or replace (by source_code) one submitted evaluation's scores; recompute stars.

    Raises ValidationError for a score outside 0–5.
    """
    existing = EvaluationResult.objects.select_for_update().filter(source_code=source_code).first()
    result = existing or EvaluationResult(source_code=source_code)
    previous_teacher_id = existing.teacher_id if existing else None
    result.teacher_id = teacher.pk
    result.quarter_start = Quarter.containing(quarter_start).start
    result.law_compliance = Decimal(law_compliance)
    result.teaching_duties = Decimal(teaching_duties)
    result.daily_conduct = Decimal(daily_conduct)
    result.serious_incident = bool(serious_incident)
    result.full_clean(exclude=["teacher"])
    result.save()
    audit_record(
        actor=None,
        action="credit.evaluation_result.recorded",
        target=result,
        after=model_snapshot(result, RESULT_FIELDS),
    )
    teacher_ids = {teacher.pk} | ({previous_teacher_id} - {None})
    star_levels_recompute(teacher_ids=teacher_ids, reason=StarChangeReason.EVALUATION_SUBMITTED)


@transaction.atomic
def evaluation_result_withdraw(*, source_code: uuid.UUID) -> None:
    """Remove a reopened evaluation's scores (if stored) and recompute the teacher's stars."""
    result = EvaluationResult.objects.select_for_update().filter(source_code=source_code).first()
    if result is None:
        return
    teacher_id = result.teacher_id
    audit_record(
        actor=None,
        action="credit.evaluation_result.withdrawn",
        target=result,
        before=model_snapshot(result, RESULT_FIELDS),
    )
    result.delete()
    star_level_recompute(teacher_id=teacher_id, reason=StarChangeReason.EVALUATION_WITHDRAWN)


STAR_RULE_FIELDS = ["level", "min_mean", "min_lowest_dimension", "max_incidents", "min_quarters"]


@transaction.atomic
def star_rule_save(*, actor: Any, rule: StarRule) -> StarRule:
    """Save an edited (or new) star rule (center only), audited; recompute every level later."""
    from apps.accounts.permissions import require_center_staff

    require_center_staff(actor)
    before = None
    if rule.pk:
        stored = StarRule.objects.select_for_update().get(pk=rule.pk)
        before = model_snapshot(stored, STAR_RULE_FIELDS)
    rule.full_clean()
    rule.save()
    audit_record(
        actor=actor,
        action="credit.star_rule.saved",
        target=rule,
        before=before,
        after=model_snapshot(rule, STAR_RULE_FIELDS),
    )
    from ..tasks import recompute_star_levels

    recompute_star_levels.delay_on_commit(actor.pk)
    return rule

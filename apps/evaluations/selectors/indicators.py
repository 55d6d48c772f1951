"""Objective indicators of a school's management of its foreign teachers in one quarter.

Computed from the register in a fixed number of queries for a page of schools, and shown
next to the assessor's score so the score can be checked against the facts.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.core.selectors import policy_settings_get
from apps.employment.models import (
    ChangeKind,
    Employment,
    EmploymentChange,
    EmploymentSchool,
    ExchangeVisit,
)
from apps.employment.selectors import employment_state
from apps.schools.models import SchoolMembership

from ..models import Evaluation, EvaluationRound, EvaluationStatus

# Permits are due within 30 days of entry (residence permit); before that no permit is missing.
PERMIT_GRACE_DAYS = 30

INDICATORS: dict[str, Promise] = {
    "contracts": _("A contract on file for every employee"),
    "hours": _("Teaching hours within the contract"),
    "permits": _("Permits valid on every day of the quarter"),
    "liaison": _("A foreign-affairs liaison designated"),
    "changes": _("Employment changes registered in time"),
    "evaluations": _("Evaluations submitted on time"),
    "visits": _("Short-term visitors registered before arrival"),
}


@dataclass(frozen=True)
class Indicator:
    code: str
    ok: bool | None  # None: nothing to judge (no visitors, deadline not reached)
    passed: int
    total: int

    @property
    def label(self) -> Promise:
        return INDICATORS[self.code]

    @property
    def ratio(self) -> str:
        """Passed of total, "3/4" (plain digits: a template localizes each number it shows)."""
        return f"{self.passed}/{self.total}"

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "passed": self.passed, "total": self.total}


@dataclass(frozen=True)
class _Change:
    """The fields of a register change the indicators read: no encrypted number to decrypt."""

    pk: int
    employment_id: int
    kind: str
    effective_on: date
    recorded_at: Any
    expires_on: date | None
    new_contract_end: date | None
    permit_number: str = ""  # employment_state copies it; no indicator reads it


_CHANGE_FIELDS = (
    "pk",
    "employment_id",
    "kind",
    "effective_on",
    "recorded_at",
    "expires_on",
    "new_contract_end",
)
# What the indicators read of an evaluation and its employment (employment_state included).
_EVALUATION_FIELDS = (
    "school",
    "status",
    "submitted_at",
    "employment",
    "employment__contract_start",
    "employment__contract_end",
    "employment__ended_on",
    "employment__weekly_hours",
    "employment__status",
    "employment__cluster",
)


def _ratio(code: str, passed: int, total: int, *, undecided: bool = False) -> Indicator:
    if total == 0 or undecided:
        return Indicator(code, None if total == 0 or passed < total else True, passed, total)
    return Indicator(code, passed == total, passed, total)


def _permits_ok(employment: Employment, changes: list[_Change], first: date, last: date):
    arrival = next((c.effective_on for c in changes if c.kind == ChangeKind.ARRIVAL), None)
    needed_from = max(first, (arrival or employment.contract_start) + timedelta(PERMIT_GRACE_DAYS))
    if needed_from > last:
        return True
    for kind in (ChangeKind.WORK_PERMIT, ChangeKind.RESIDENCE_PERMIT):
        permits = [c for c in changes if c.kind == kind]
        valid_from = min((c.effective_on for c in permits), default=None)
        valid_to = max((c.expires_on for c in permits if c.expires_on), default=None)
        if valid_from is None or valid_from > needed_from or valid_to is None or valid_to < last:
            return False
    return True


def school_indicators(
    *, round: EvaluationRound, schools: Iterable[Any], today: date | None = None
) -> dict[int, list[Indicator]]:
    """Return each school's indicators for the round's quarter (five queries for any number)."""
    today = today or timezone.localdate()
    school_ids = [school.pk for school in schools]
    change_days = policy_settings_get().change_registration_days
    # A contract's hours over all its schools (a cluster's are shared), summed in the query.
    shares = (
        EmploymentSchool.objects.filter(employment=OuterRef("employment"))
        .order_by()
        .values("employment")
        .annotate(hours=Sum("weekly_hours"))
        .values("hours")
    )
    evaluations = list(
        Evaluation.objects.filter(round=round, school_id__in=school_ids)
        .select_related("employment")
        .only(*_EVALUATION_FIELDS)
        .annotate(shared_hours=Coalesce(Subquery(shares), 0))
        .order_by()
    )
    employment_ids = {evaluation.employment_id for evaluation in evaluations}
    changes_of: dict[int, list[_Change]] = defaultdict(list)
    for row in (
        EmploymentChange.objects.filter(employment_id__in=employment_ids)
        .order_by("pk")
        .values_list(*_CHANGE_FIELDS)
    ):
        change = _Change(*row)
        changes_of[change.employment_id].append(change)
    liaisons = set(
        SchoolMembership.objects.filter(school_id__in=school_ids, is_liaison=True, is_active=True)
        .order_by()
        .values_list("school_id", flat=True)
    )
    visits = defaultdict(list)
    for school_id, arrival, created_at in (
        ExchangeVisit.objects.filter(
            school_id__in=school_ids, arrival__range=(round.starts_on, round.ends_on)
        )
        .order_by()
        .values_list("school_id", "arrival", "created_at")
    ):
        visits[school_id].append(timezone.localdate(created_at) < arrival)

    per_school: dict[int, list[Evaluation]] = defaultdict(list)
    for evaluation in evaluations:
        per_school[evaluation.school_id].append(evaluation)
    result = {}
    for school_id in school_ids:
        counts = defaultdict(lambda: [0, 0])
        for evaluation in per_school[school_id]:
            employment = evaluation.employment
            changes = changes_of[employment.pk]
            first = max(round.starts_on, employment.contract_start)
            last = min(round.ends_on, employment.ended_on or round.ends_on)
            state = employment_state(employment=employment, changes=changes)
            counts["contracts"][0] += state.contract_end >= last
            counts["contracts"][1] += 1
            counts["hours"][0] += evaluation.shared_hours <= employment.weekly_hours
            counts["hours"][1] += 1
            counts["permits"][0] += _permits_ok(employment, changes, first, last)
            counts["permits"][1] += 1
            for change in changes:
                if round.starts_on <= change.effective_on <= round.ends_on:
                    late_by = (timezone.localdate(change.recorded_at) - change.effective_on).days
                    counts["changes"][0] += late_by <= change_days
                    counts["changes"][1] += 1
            on_time = evaluation.status == EvaluationStatus.SUBMITTED and (
                timezone.localdate(evaluation.submitted_at) <= round.deadline
            )
            counts["evaluations"][0] += on_time
            counts["evaluations"][1] += 1
        items = [_ratio(code, *counts[code]) for code in ("contracts", "hours", "permits")]
        items.append(Indicator("liaison", school_id in liaisons, int(school_id in liaisons), 1))
        items.append(_ratio("changes", *counts["changes"]))
        items.append(
            _ratio("evaluations", *counts["evaluations"], undecided=today <= round.deadline)
        )
        items.append(_ratio("visits", sum(visits[school_id]), len(visits[school_id])))
        result[school_id] = items
    return result

"""Data-quality rules over the register: every inconsistency a school should put right.

All rules live here, each a function returning Issues; the school page, the center's
city-wide list and its counts per district read them through `quality_issues`. Arrival and
departure steps come from the guidance checklists (apps.guidance.selectors), so a step counts
as missing exactly when the hire's checklist shows it overdue.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.dates import add_months
from apps.core.models import District
from apps.core.selectors import policy_settings_get
from apps.employment.models import (
    Employment,
    EmploymentSchool,
    EmploymentStatus,
    ExchangeVisit,
)
from apps.employment.selectors import employment_state
from apps.guidance.models import Stage
from apps.guidance.selectors import hire_checklists
from apps.schools.models import School

# Ended employments are checked for missing leaving steps for this long after they end.
LEAVING_LOOKBACK_DAYS = 365


@dataclass(frozen=True)
class Issue:
    """One inconsistency: which rule, where, about whom, and how to fix it."""

    rule: str
    school: School
    subject: str
    detail: str
    fix: str
    fix_url: str

    @property
    def label(self) -> str:
        return str(RULE_LABELS[self.rule])


RULE_LABELS = {
    "permit_expired": gettext_lazy("Active employment with an expired permit"),
    "visit_too_long": gettext_lazy("Exchange visit longer than the policy allows"),
    "cluster_hours": gettext_lazy("Cluster hours do not add up"),
    "departure_without_cancellation": gettext_lazy("Departure without cancellation"),
    "arrival_without_registration": gettext_lazy("Arrival without registration steps"),
}


def _employments(school_ids: list[int] | None) -> QuerySet[Employment]:
    employments = Employment.objects.all()
    if school_ids is not None:
        shares = EmploymentSchool.objects.filter(school_id__in=school_ids)
        employments = employments.filter(pk__in=shares.values("employment_id"))
    return employments.select_related("teacher", "school", "school__district")


def _detail_url(employment: Employment, school_ids) -> str:
    # The city-wide list is the center's: it corrects the register in admin.
    if school_ids is None:
        return reverse("admin:employment_employment_change", args=[employment.pk])
    return reverse("employment:school_detail", args=[employment.code])


def rule_permit_expired(*, school_ids, today: date, now: datetime) -> list[Issue]:
    """Active employments whose latest work or residence permit expired before today."""
    employments = (
        _employments(school_ids).filter(status=EmploymentStatus.ACTIVE).prefetch_related("changes")
    )
    issues = []
    for employment in employments:
        state = employment_state(employment=employment, changes=list(employment.changes.all()))
        expired = [
            (label, expiry)
            for label, expiry in (
                (_("work permit"), state.work_permit_expires),
                (_("residence permit"), state.residence_permit_expires),
            )
            if expiry is not None and expiry < today
        ]
        for label, expiry in expired:
            issues.append(
                Issue(
                    rule="permit_expired",
                    school=employment.school,
                    subject=str(employment.teacher),
                    detail=_("The %(permit)s expired on %(date)s.")
                    % {"permit": label, "date": expiry.isoformat()},
                    fix=_("Record the renewed permit, or the departure if the teacher left."),
                    fix_url=_detail_url(employment, school_ids),
                )
            )
    return issues


def rule_visit_too_long(*, school_ids, today: date, now: datetime) -> list[Issue]:
    """Exchange visits whose stay exceeds the policy's calendar months."""
    months = policy_settings_get().exchange_visit_max_months
    visits = ExchangeVisit.objects.select_related("school", "school__district")
    if school_ids is not None:
        visits = visits.filter(school_id__in=school_ids)
    issues = []
    for visit in visits:
        limit = add_months(visit.arrival, months)
        if visit.departure > limit:
            issues.append(
                Issue(
                    rule="visit_too_long",
                    school=visit.school,
                    subject=visit.visitor_name,
                    detail=_(
                        "Stays from %(arrival)s to %(departure)s; a visit lasts at most "
                        "%(months)s months (until %(limit)s)."
                    )
                    % {
                        "arrival": visit.arrival.isoformat(),
                        "departure": visit.departure.isoformat(),
                        "months": months,
                        "limit": limit.isoformat(),
                    },
                    fix=_(
                        "Ask the service center to correct the dates; a longer stay needs a "
                        "hire through the network."
                    ),
                    fix_url=reverse("employment:visits")
                    if school_ids is not None
                    else reverse("admin:employment_exchangevisit_change", args=[visit.pk]),
                )
            )
    return issues


def rule_cluster_hours(*, school_ids, today: date, now: datetime) -> list[Issue]:
    """Active cluster contracts whose schools' weekly hours do not sum to the contract's."""
    employments = (
        _employments(school_ids)
        .filter(status=EmploymentStatus.ACTIVE, cluster__isnull=False)
        .annotate(shared_hours=Sum("schools__weekly_hours"))
    )
    return [
        Issue(
            rule="cluster_hours",
            school=employment.school,
            subject=str(employment.teacher),
            detail=_("The contract says %(total)s hours a week; the schools' hours sum to %(sum)s.")
            % {"total": employment.weekly_hours, "sum": employment.shared_hours or 0},
            fix=_("Ask the service center to correct the hours of the contract's schools."),
            fix_url=_detail_url(employment, school_ids),
        )
        for employment in employments
        if (employment.shared_hours or 0) != employment.weekly_hours
    ]


def _overdue_steps(employments: QuerySet[Employment], stage: str, now: datetime) -> list:
    return [
        (checklist, step)
        for checklist in hire_checklists(employments, now=now)
        for step in checklist.overdue
        if step.procedure.stage == stage
    ]


def _step_issue(rule: str, checklist, step) -> Issue:
    employment = checklist.employment
    return Issue(
        rule=rule,
        school=employment.school,
        subject=str(employment.teacher),
        detail=_("“%(step)s” was due on %(date)s.")
        % {"step": step.procedure.title, "date": step.due.on.isoformat()},
        fix=_("Complete the step and mark it done on the hire's checklist."),
        fix_url=reverse("guidance:checklist", args=[employment.code]),
    )


def rule_departure_without_cancellation(*, school_ids, today: date, now: datetime) -> list[Issue]:
    """Employments ended in the last year whose leaving steps (cancellation) are overdue."""
    since = today - timedelta(days=LEAVING_LOOKBACK_DAYS)
    employments = _employments(school_ids).filter(
        status=EmploymentStatus.ENDED, ended_on__gte=since
    )
    return [
        _step_issue("departure_without_cancellation", checklist, step)
        for checklist, step in _overdue_steps(employments, Stage.LEAVING, now)
    ]


def rule_arrival_without_registration(*, school_ids, today: date, now: datetime) -> list[Issue]:
    """Active employments whose on-arrival registration steps are overdue."""
    employments = _employments(school_ids).filter(status=EmploymentStatus.ACTIVE)
    return [
        _step_issue("arrival_without_registration", checklist, step)
        for checklist, step in _overdue_steps(employments, Stage.ARRIVAL, now)
    ]


RULES: dict[str, Callable[..., list[Issue]]] = {
    "permit_expired": rule_permit_expired,
    "visit_too_long": rule_visit_too_long,
    "cluster_hours": rule_cluster_hours,
    "departure_without_cancellation": rule_departure_without_cancellation,
    "arrival_without_registration": rule_arrival_without_registration,
}


def quality_issues(
    *, schools: QuerySet[School] | None = None, now: datetime, rules: list[str] | None = None
) -> list[Issue]:
    """Return the inconsistencies at the given schools (None: the whole city), by school."""
    school_ids = None if schools is None else list(schools.values_list("pk", flat=True))
    today = timezone.localdate(now)
    issues = []
    for code, rule in RULES.items():
        if rules is None or code in rules:
            issues.extend(rule(school_ids=school_ids, today=today, now=now))
    return sorted(issues, key=lambda issue: (str(issue.school.name), issue.rule, issue.subject))


def quality_counts_by_district(issues: list[Issue]) -> list[tuple[District, int]]:
    """Count issues per district, in the districts' usual order (those with none included)."""
    counts = Counter(issue.school.district_id for issue in issues)
    return [(district, counts.get(district.pk, 0)) for district in District.objects.all()]

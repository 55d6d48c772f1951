"""Reads for the employment register; who may see which employment is decided here, once."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from apps.applications.selectors import KINDS_AFTER_APPLICATION, KINDS_AFTER_HIRE
from apps.core.dates import add_months
from apps.core.selectors import policy_settings_get
from apps.credit.selectors import teacher_star_levels
from apps.schools.selectors import (
    bureau_jurisdiction_q,
    school_for_user,
    schools_visible_to_bureau,
)
from apps.teachers.models import Document, Teacher
from apps.teachers.selectors import mask_passport, teacher_for_user

from .models import (
    AgreementStatus,
    ChangeKind,
    Employment,
    EmploymentChange,
    EmploymentSchool,
    EmploymentStatus,
    ExchangeVisit,
    InternshipAgreement,
)


def school_may_see_employee_document(user: Any, document: Document) -> bool:
    """Document rule: a hiring school sees its teacher's identity and health scans too."""
    if not user.is_school_staff or document.kind not in KINDS_AFTER_HIRE | KINDS_AFTER_APPLICATION:
        return False
    school = school_for_user(user)
    if school is None:
        return False
    # Only while the teacher works there: a former employer keeps no access to new papers.
    return EmploymentSchool.objects.filter(
        school=school,
        employment__teacher_id=document.teacher_id,
        employment__status=EmploymentStatus.ACTIVE,
    ).exists()


def _with_details(employments: QuerySet[Employment]) -> QuerySet[Employment]:
    return employments.select_related(
        "teacher", "school", "school__district", "cluster", "vacancy"
    ).prefetch_related(
        Prefetch("schools", queryset=EmploymentSchool.objects.select_related("school"))
    )


def _employments_of(school: Any) -> QuerySet[Employment]:
    ids = EmploymentSchool.objects.filter(school=school).values("employment_id")
    return Employment.objects.filter(pk__in=ids)


def employments_of_school_staff(*, user: Any) -> QuerySet[Employment]:
    """Return the employments naming the user's school (lead or cluster member), bare: no
    joins, no order, for a page that reads only a few columns of one of them."""
    school = school_for_user(user)
    if school is None:
        return Employment.objects.none()
    return _employments_of(school)


def employment_list_for_school(*, user: Any) -> QuerySet[Employment]:
    """Return the employments naming the user's school (lead or cluster member)."""
    return _with_details(employments_of_school_staff(user=user)).order_by(
        "status", "-contract_start", "-id"
    )


def employments_with_star_levels(employments: Iterable[Employment]) -> list[Employment]:
    """Return the employments as a list, each with its teacher's current `star_level` (or None);
    one query for all of them."""
    employments = list(employments)
    levels = teacher_star_levels({employment.teacher_id for employment in employments})
    for employment in employments:
        employment.star_level = levels.get(employment.teacher_id)
    return employments


def employment_get_for_school(*, user: Any, code: Any) -> Employment:
    """Return one employment of the user's school; 404 for anyone else's."""
    employment = employment_list_for_school(user=user).filter(code=code).first()
    if employment is None:
        raise Http404
    return employment


def employment_readable_by(*, user: Any, employment: Employment) -> bool:
    """Access rule for one employment in hand: the staff of a school it names (lead or cluster
    member), its teacher and the center read it. The lists' rule (_employments_of)."""
    if user.is_center_staff:
        return True
    if user.is_teacher:
        return employment.teacher.user_id == user.pk
    school = school_for_user(user)
    if school is None:
        return False
    # The lead school needs no query; a cluster member is found as the lists find it.
    return (
        employment.school_id == school.pk
        or _employments_of(school).filter(pk=employment.pk).exists()
    )


def employment_school_is_lead(*, user: Any, employment: Employment) -> bool:
    """Access rule: only the lead school records changes; a cluster's member schools read."""
    school = school_for_user(user)
    return school is not None and school.pk == employment.school_id


def employment_list_for_teacher(
    *, user: Any, teacher: Teacher | None = None
) -> QuerySet[Employment]:
    """Return the signed-in teacher's own employments (``teacher``: the user's, if held)."""
    teacher = teacher or teacher_for_user(user=user)
    if teacher is None:
        return Employment.objects.none()
    return _with_details(Employment.objects.filter(teacher=teacher))


def employment_recent_for_teacher(*, teacher: Teacher, limit: int = 3) -> list[Employment]:
    """Return the teacher's latest employments with their lead school (dashboard, one query)."""
    return list(Employment.objects.filter(teacher=teacher).select_related("school")[:limit])


def employment_list_for_bureau(*, user: Any) -> QuerySet[Employment]:
    """Return the employments at schools in the bureau user's jurisdiction."""
    ids = EmploymentSchool.objects.filter(bureau_jurisdiction_q(user)).values("employment_id")
    return _with_details(Employment.objects.filter(pk__in=ids)).order_by(
        "status", "-contract_start", "-id"
    )


def employment_active_count(*, school: Any) -> int:
    """Count the active employments naming the school (school dashboard)."""
    return _employments_of(school).filter(status=EmploymentStatus.ACTIVE).count()


@dataclass
class EmploymentState:
    """Where an employment stands now, derived from its change rows."""

    status: str
    contract_end: date
    arrival: date | None = None
    work_permit_number: str = ""
    work_permit_expires: date | None = None
    residence_permit_number: str = ""
    residence_permit_expires: date | None = None
    ended_on: date | None = None
    end_kind: str = ""
    teaching_plan_filed: date | None = None
    hire_reported: date | None = None
    steps_missing: list[str] = field(default_factory=list)


def employment_state(
    *, employment: Employment, changes: list[EmploymentChange] | None = None
) -> EmploymentState:
    """Fold the change rows (in effective order) into the employment's current state."""
    if changes is None:
        changes = list(employment.changes.all())
    state = EmploymentState(status=employment.status, contract_end=employment.contract_end)
    for change in sorted(changes, key=lambda c: (c.effective_on, c.recorded_at, c.pk or 0)):
        kind = change.kind
        if kind == ChangeKind.ARRIVAL:
            state.arrival = change.effective_on
        elif kind == ChangeKind.WORK_PERMIT:
            state.work_permit_number = change.permit_number
            state.work_permit_expires = change.expires_on
        elif kind == ChangeKind.RESIDENCE_PERMIT:
            state.residence_permit_number = change.permit_number
            state.residence_permit_expires = change.expires_on
        elif kind in {ChangeKind.RENEWAL, ChangeKind.INTERNSHIP_EXTENDED}:
            state.contract_end = change.new_contract_end
        elif kind in {ChangeKind.EARLY_TERMINATION, ChangeKind.DEPARTURE, ChangeKind.TRANSFER}:
            state.ended_on = state.ended_on or change.effective_on
            state.end_kind = state.end_kind or kind
        elif kind == ChangeKind.TEACHING_PLAN_FILED:
            state.teaching_plan_filed = change.effective_on
        elif kind == ChangeKind.HIRE_REPORTED:
            state.hire_reported = change.effective_on
    if employment.is_cluster:
        if state.teaching_plan_filed is None:
            state.steps_missing.append(ChangeKind.TEACHING_PLAN_FILED.label)
        if state.hire_reported is None:
            state.steps_missing.append(ChangeKind.HIRE_REPORTED.label)
    return state


@dataclass(frozen=True)
class InternLimits:
    """An intern's two limits: the policy period and the maximum with an extension."""

    period_months: int
    period_ends: date
    max_months: int
    max_ends: date
    extended: bool


def intern_limits(*, employment: Employment, state: EmploymentState) -> InternLimits | None:
    """Return the internship limits (calendar months from the contract start), or None."""
    if not employment.is_intern:
        return None
    policy = policy_settings_get()
    return InternLimits(
        period_months=policy.intern_months,
        period_ends=add_months(employment.contract_start, policy.intern_months),
        max_months=policy.intern_max_months,
        max_ends=add_months(employment.contract_start, policy.intern_max_months),
        extended=state.contract_end > add_months(employment.contract_start, policy.intern_months),
    )


def masked_permit(number: str) -> str:
    """Mask a permit number for lists (the detail page shows it to the school)."""
    return mask_passport(number)


def internship_agreements_for_school(*, user: Any) -> QuerySet[InternshipAgreement]:
    """Return the internship agreements the user's school submitted."""
    school = school_for_user(user)
    if school is None:
        return InternshipAgreement.objects.none()
    return InternshipAgreement.objects.filter(school=school).select_related("teacher")


def exchange_visits_for_school(*, user: Any) -> QuerySet[ExchangeVisit]:
    """Return the exchange visits the user's school registered."""
    school = school_for_user(user)
    if school is None:
        return ExchangeVisit.objects.none()
    return (
        ExchangeVisit.objects.filter(school=school)
        .select_related("school", "partner_school")
        .prefetch_related("subjects")
    )


def exchange_visits_for_bureau(*, user: Any) -> QuerySet[ExchangeVisit]:
    """Return the exchange visits at schools in the bureau user's jurisdiction (masked lists)."""
    return (
        ExchangeVisit.objects.filter(school__in=schools_visible_to_bureau(user))
        .select_related("school", "school__district", "partner_school")
        .prefetch_related("subjects")
    )


def employments_active() -> QuerySet[Employment]:
    """Return the active employments (each commits its teacher: see admission.availability)."""
    return Employment.objects.filter(status=EmploymentStatus.ACTIVE)


def employments_holding_records(on: date) -> QuerySet[Employment]:
    """Return employments whose records must be kept on that day: active, or ended recently.

    "Recently": within PolicySettings.employment_records_keep_years of the end (a legal hold
    on the teacher's deletion request: see teachers.selectors.register_record_hold).
    """
    years = policy_settings_get().employment_records_keep_years
    since = on - relativedelta(years=years)
    return Employment.objects.filter(
        Q(status=EmploymentStatus.ACTIVE) | Q(status=EmploymentStatus.ENDED, ended_on__gt=since)
    )


def teacher_has_active_employment(*, teacher_id: int) -> bool:
    """Say whether the teacher has an active employment."""
    return Employment.objects.filter(teacher_id=teacher_id, status=EmploymentStatus.ACTIVE).exists()


def internship_agreements_waiting_count() -> int:
    """Count internship agreements waiting for the center's decision (center dashboard)."""
    return InternshipAgreement.objects.filter(status=AgreementStatus.SUBMITTED).count()


def employment_filter_for_bureau(*, user: Any, data: Any):
    """Return the bureau's employments filtered and sorted as asked (a FilterSet)."""
    from .filters import BureauEmploymentFilter

    # The list shows the teacher's name, the prefetched school shares and these columns only
    # (employment/_table.html): no other joins, no other columns.
    employments = (
        employment_list_for_bureau(user=user)
        .select_related(None)
        .select_related("teacher")
        .only(
            "teacher__legal_name",
            "cluster",
            "is_intern",
            "contract_start",
            "contract_end",
            "weekly_hours",
            "hiring_channel",
            "status",
        )
    )
    return BureauEmploymentFilter(data, queryset=employments)


def exchange_visit_filter_for_bureau(*, user: Any, data: Any):
    """Return the bureau's exchange visits filtered and sorted as asked, newest first."""
    from .filters import BureauVisitFilter

    visits = exchange_visits_for_bureau(user=user).order_by("-arrival", "-id")
    return BureauVisitFilter(data, queryset=visits)

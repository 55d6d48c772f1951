"""Credit record reads scoped to who may see them: the person, their school, bureaus, center."""

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, QuerySet

from apps.accounts.permissions import is_center_staff_actor
from apps.core.selectors import policy_settings_get
from apps.schools.selectors import membership_for_user

from ..models import CreditFile, CreditRecord, RecordKind, RecordStatus, Severity


def record_display_bounds(*, severity: str, starts_on: date) -> tuple[date, date]:
    """Return the earliest and latest display end a restriction of the severity may have."""
    policy = policy_settings_get()
    months = {
        Severity.MINOR: (policy.credit_minor_min_months, policy.credit_minor_max_months),
        Severity.GENERAL: (policy.credit_general_min_months, policy.credit_general_max_months),
        Severity.SERIOUS: (policy.credit_serious_min_months, policy.credit_serious_max_months),
    }[Severity(severity)]
    one_day = relativedelta(days=1)
    earliest = max(starts_on, starts_on + relativedelta(months=months[0]) - one_day)
    return earliest, starts_on + relativedelta(months=months[1]) - one_day


def record_repairable_from(record: CreditRecord) -> date:
    """Return the first day a restriction may be repaired: after its minimum display period."""
    earliest, _latest = record_display_bounds(severity=record.severity, starts_on=record.starts_on)
    return earliest + relativedelta(days=1)


def _user_school_id(user: Any) -> int | None:
    membership = membership_for_user(user)
    return membership.school_id if membership is not None and membership.is_active else None


def user_owns_record(user: Any, record: CreditRecord) -> bool:
    """Whether the user is the record's teacher or active staff of the record's school."""
    if not getattr(user, "is_authenticated", False):
        return False
    if record.teacher_id:
        return record.teacher.user_id == user.pk
    return record.school_id is not None and _user_school_id(user) == record.school_id


def teacher_records(*, user: Any) -> QuerySet[CreditRecord]:
    """Return the signed-in teacher's own records (any status), newest first.

    The list shows each record's own fields (credit/_record_row.html), so none of its
    objection, files or repair requests is read: they are on the record's page.
    """
    return (
        CreditRecord.objects.filter(teacher__user=user)
        .exclude(status=RecordStatus.PROPOSED)
        .order_by("-starts_on", "-id")
    )


def school_records(*, user: Any) -> QuerySet[CreditRecord]:
    """Return the records of the signed-in staff member's school, newest first (own fields
    only, as teacher_records)."""
    school_id = _user_school_id(user)
    if school_id is None:
        return CreditRecord.objects.none()
    return (
        CreditRecord.objects.filter(school_id=school_id)
        .exclude(status=RecordStatus.PROPOSED)
        .order_by("-starts_on", "-id")
    )


def record_for_owner(*, user: Any, code) -> CreditRecord | None:
    """Return the user's own record by code (teacher or school staff), or None."""
    record = (
        CreditRecord.objects.filter(code=code)
        .exclude(status=RecordStatus.PROPOSED)
        .select_related("teacher", "school", "objection")
        .prefetch_related("files", "repair_requests__files", "objection__files")
        .first()
    )
    return record if record is not None and user_owns_record(user, record) else None


def credit_file_for_user(*, user: Any, code) -> CreditFile | None:
    """Return a record file the user may download (center, or the record's person)."""
    credit_file = (
        CreditFile.objects.select_related("record__teacher", "record__school")
        .filter(code=code)
        .first()
    )
    if credit_file is None:
        return None
    if is_center_staff_actor(user) or (
        credit_file.record.status != RecordStatus.PROPOSED
        and user_owns_record(user, credit_file.record)
    ):
        return credit_file
    return None


def credit_counts(*, district=None, on: date) -> dict[str, int]:
    """Return counts of records in force (no names): teachers city-wide, schools by district.

    Teachers move between districts, so their counts are city-wide; a school's district is
    fixed, so a district bureau sees its own schools' counts.
    """
    records = CreditRecord.objects.filter(
        status=RecordStatus.ACTIVE, starts_on__lte=on, display_until__gte=on
    )
    schools = records.filter(school__isnull=False)
    if district is not None:
        schools = schools.filter(school__district=district)
    teachers = records.filter(teacher__isnull=False)
    counts = teachers.aggregate(
        teacher_commendations=Count("pk", filter=Q(kind=RecordKind.COMMENDATION)),
        teacher_restrictions=Count("pk", filter=Q(kind=RecordKind.NEGATIVE)),
    )
    counts.update(
        schools.aggregate(
            school_commendations=Count("pk", filter=Q(kind=RecordKind.COMMENDATION)),
            school_restrictions=Count("pk", filter=Q(kind=RecordKind.NEGATIVE)),
        )
    )
    return counts


def credit_records_kept(on: date) -> QuerySet[CreditRecord]:
    """Return the credit records still kept (each is deleted 5 years after it ends).

    A teacher with one cannot be erased yet: the record must keep naming its subject.
    """
    return CreditRecord.objects.filter(Q(delete_after__isnull=True) | Q(delete_after__gt=on))

"""Credit records for tests: active restrictions and commendations without the life cycle."""

from datetime import date, timedelta

from django.utils import timezone

from apps.credit.models import CreditRecord, Grounds, RecordKind, RecordStatus, Severity


def restriction_create(
    *,
    teacher=None,
    school=None,
    starts_on: date | None = None,
    display_until: date | None = None,
    ends_on: date | None = None,
    severity: str = Severity.SERIOUS,
    status: str = RecordStatus.ACTIVE,
    approved_by=None,
    **fields,
) -> CreditRecord:
    """Create a restriction in force (active, approved) from starts_on to display_until."""
    starts_on = starts_on or timezone.localdate() - timedelta(days=30)
    # Without an end the restriction stays in force for three years from today (the old
    # black list's open-ended entries).
    display_until = (
        display_until or ends_on or max(starts_on, timezone.localdate()) + timedelta(days=3 * 365)
    )
    return CreditRecord.objects.create(
        teacher=teacher,
        school=school,
        kind=RecordKind.NEGATIVE,
        severity=severity,
        grounds=fields.pop("grounds", Grounds.ILLEGAL_EMPLOYMENT),
        facts=fields.pop("facts", fields.pop("reason", "Worked without a work permit.")),
        determining_unit=fields.pop("determining_unit", "Hangzhou Municipal Education Bureau"),
        decision_date=starts_on,
        starts_on=starts_on,
        display_until=display_until,
        status=status,
        approved_by=approved_by,
        approved_at=timezone.now(),
        activated_at=timezone.now() if status == RecordStatus.ACTIVE else None,
        **{k: v for k, v in fields.items() if k != "created_by"},
    )


def commendation_create(*, teacher=None, school=None, starts_on: date | None = None, **fields):
    """Create an active commendation from starts_on for three years."""
    starts_on = starts_on or timezone.localdate() - timedelta(days=30)
    return CreditRecord.objects.create(
        teacher=teacher,
        school=school,
        kind=RecordKind.COMMENDATION,
        grounds=fields.pop("grounds", Grounds.OUTSTANDING_TEACHING),
        facts=fields.pop("facts", "Outstanding teaching in the city's open lessons."),
        determining_unit="Hangzhou Municipal Education Bureau",
        decision_date=starts_on,
        starts_on=starts_on,
        display_until=fields.pop("display_until", starts_on + timedelta(days=3 * 365)),
        status=RecordStatus.ACTIVE,
        approved_at=timezone.now(),
        activated_at=timezone.now(),
        **fields,
    )

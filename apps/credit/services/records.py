"""Credit records: propose, approve (four eyes), notify, object, decide, repair, expire, delete."""

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.permissions import require_center_staff
from apps.core.dates import add_working_days
from apps.core.selectors import policy_settings_get
from apps.core.services import audit_record, model_snapshot
from apps.core.transitions import transition
from apps.notifications.services import notify
from apps.schools.selectors import school_contacts
from apps.teachers.uploads import inspect_upload

from .. import signals
from ..models import (
    COMMENDATION_GROUNDS,
    NEGATIVE_GROUNDS,
    CreditEndNote,
    CreditFile,
    CreditRecord,
    FilePurpose,
    Grounds,
    Objection,
    RecordKind,
    RecordStatus,
    RepairRequest,
    Severity,
    StarChangeReason,
)
from ..selectors.records import record_display_bounds
from ..selectors.stars import teacher_star_levels
from .stars import announce_teacher_credit_changed, star_level_recompute

S = RecordStatus
AUDIT_FIELDS = [
    "kind",
    "severity",
    "grounds",
    "starts_on",
    "display_until",
    "approved_by",
    "objection_deadline",
    "ended_on",
]

# Words that signal health or medical information, which the law keeps out of credit records.
HEALTH_WORDS = re.compile(
    r"\b(health|medical|medicine|diagnos\w*|disease|illness|hiv|aids|hepatitis|pregnan\w*|"
    r"mental|psychiatr\w*|disabilit\w*|hospital\w*)\b|健康|体检|医疗|疾病|病史|诊断|怀孕|残疾|住院",
    re.IGNORECASE,
)


def _check_no_health_data(**texts: str) -> None:
    errors = {}
    for field, text in texts.items():
        if text and HEALTH_WORDS.search(text):
            errors[field] = gettext(
                "Health or medical information may not be part of a credit record; "
                "describe the conduct only."
            )
    if errors:
        raise ValidationError(errors)


def _store_files(
    record: CreditRecord,
    files: Iterable[File],
    *,
    purpose: str,
    actor: Any,
    field: str,
    objection: Objection | None = None,
    repair: RepairRequest | None = None,
) -> list[CreditFile]:
    stored = []
    for upload in files:
        try:
            info = inspect_upload(upload)
        except ValidationError as exc:
            raise ValidationError({field: exc.messages}) from exc
        credit_file = CreditFile(
            record=record,
            objection=objection,
            repair=repair,
            purpose=purpose,
            original_name=info.name,
            content_type=info.content_type,
            size=info.size,
            sha256=info.sha256,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        credit_file.file.save(f"{purpose}{info.suffix}", upload, save=False)
        credit_file.save()
        stored.append(credit_file)
    return stored


def _recipients(record: CreditRecord) -> list[Any]:
    """Return the people told about a record: the teacher, or the school's liaison."""
    if record.teacher_id:
        user = record.teacher.user
        return [user] if user is not None and user.is_active else []
    return school_contacts(school=record.school)


def _after_change(record: CreditRecord, *, actor: Any) -> None:
    """Keep stars, matching and vacancies in step with a record whose status changed."""
    if record.teacher_id:
        before = teacher_star_levels([record.teacher_id])[record.teacher_id]
        after = star_level_recompute(
            teacher_id=record.teacher_id, reason=StarChangeReason.CREDIT_CHANGED, actor=actor
        )
        if before == after:  # a changed level was announced by the recompute already
            announce_teacher_credit_changed(record.teacher_id)
    elif (
        record.is_negative
        and record.status == S.ACTIVE
        and record.starts_on <= timezone.localdate() <= record.display_until
    ):
        announce_school_restricted(record)


def announce_school_restricted(record: CreditRecord) -> None:
    """Tell vacancies (after commit) that a restriction on a school is now in force."""
    school_id, code = record.school_id, record.code
    transaction.on_commit(
        lambda: signals.school_restricted.send(
            sender=CreditRecord, school_id=school_id, record_code=code
        )
    )


def _validate_content(
    *,
    kind: str,
    severity: str,
    grounds: str,
    grounds_other: str,
    facts: str,
    determining_unit: str,
    starts_on: date,
    display_until: date,
) -> None:
    errors: dict[str, str] = {}
    if kind == RecordKind.NEGATIVE:
        if severity not in Severity.values:
            errors["severity"] = gettext("Choose the severity of the restriction.")
        if grounds and grounds not in NEGATIVE_GROUNDS:
            errors["grounds"] = gettext("These grounds are for commendations, not restrictions.")
    elif severity:
        errors["severity"] = gettext("A commendation has no severity.")
    elif grounds and grounds not in COMMENDATION_GROUNDS:
        errors["grounds"] = gettext("These grounds are for restrictions, not commendations.")
    if not grounds:
        errors["grounds"] = gettext("Choose the grounds.")
    elif grounds == Grounds.OTHER and not grounds_other.strip():
        errors["grounds_other"] = gettext("Describe the grounds.")
    if not facts.strip():
        errors["facts"] = gettext("State the facts.")
    if not determining_unit.strip():
        errors["determining_unit"] = gettext("Name the determining unit.")
    if display_until < starts_on:
        errors["display_until"] = gettext("The display period cannot end before it starts.")
    elif kind == RecordKind.NEGATIVE and "severity" not in errors:
        earliest, latest = record_display_bounds(severity=severity, starts_on=starts_on)
        if not earliest <= display_until <= latest:
            errors["display_until"] = gettext(
                "For a %(severity)s restriction starting %(start)s the display period ends "
                "between %(earliest)s and %(latest)s."
            ) % {
                "severity": Severity(severity).label,
                "start": starts_on.isoformat(),
                "earliest": earliest.isoformat(),
                "latest": latest.isoformat(),
            }
    if errors:
        raise ValidationError(errors)


def record_default_display_until(*, kind: str, severity: str, starts_on: date) -> date:
    """Return the display end a record gets unless staff choose another within the bounds."""
    if kind == RecordKind.COMMENDATION:
        months = policy_settings_get().credit_commendation_months
        return starts_on + relativedelta(months=months) - relativedelta(days=1)
    return record_display_bounds(severity=severity, starts_on=starts_on)[1]


def credit_record_check(
    *,
    teacher: Any,
    school: Any,
    kind: str,
    severity: str,
    grounds: str,
    grounds_other: str,
    facts: str,
    basis: str,
    remarks: str,
    determining_unit: str,
    starts_on: date,
    display_until: date | None,
    evidence: Sequence[File] = (),
) -> date:
    """Check a proposal's content without writing; return its display end (default if empty).

    Raises ValidationError (per field) for every problem the person proposing can fix.
    """
    if (teacher is None) == (school is None):
        raise ValidationError(gettext("Name either a teacher or a school."))
    if display_until is None and (kind != RecordKind.NEGATIVE or severity in Severity.values):
        display_until = record_default_display_until(
            kind=kind, severity=severity, starts_on=starts_on
        )
    _validate_content(
        kind=kind,
        severity=severity,
        grounds=grounds,
        grounds_other=grounds_other,
        facts=facts,
        determining_unit=determining_unit,
        starts_on=starts_on,
        display_until=display_until or starts_on,
    )
    _check_no_health_data(facts=facts, grounds_other=grounds_other, remarks=remarks, basis=basis)
    for upload in evidence:
        try:
            inspect_upload(upload)
        except ValidationError as exc:
            raise ValidationError({"evidence": exc.messages}) from exc
    return display_until


@transaction.atomic
def credit_record_propose(
    *,
    actor: Any,
    kind: str,
    grounds: str,
    facts: str,
    determining_unit: str,
    decision_date: date,
    starts_on: date,
    teacher: Any = None,
    school: Any = None,
    severity: str = "",
    grounds_other: str = "",
    basis: str = "",
    determining_unit_code: str = "",
    display_until: date | None = None,
    data_source: str = "",
    remarks: str = "",
    evidence: Sequence[File] = (),
) -> CreditRecord:
    """Propose a commendation or restriction (center only); a second user must approve it."""
    require_center_staff(actor)
    display_until = credit_record_check(
        teacher=teacher,
        school=school,
        kind=kind,
        severity=severity,
        grounds=grounds,
        grounds_other=grounds_other,
        facts=facts,
        basis=basis,
        remarks=remarks,
        determining_unit=determining_unit,
        starts_on=starts_on,
        display_until=display_until,
    )
    record = CreditRecord(
        teacher=teacher,
        school=school,
        kind=kind,
        severity=severity if kind == RecordKind.NEGATIVE else "",
        grounds=grounds,
        grounds_other=grounds_other.strip() if grounds == Grounds.OTHER else "",
        facts=facts.strip(),
        basis=basis.strip(),
        determining_unit=determining_unit.strip(),
        determining_unit_code=determining_unit_code.strip(),
        decision_date=decision_date,
        starts_on=starts_on,
        display_until=display_until,
        data_source=data_source.strip() or gettext("Hangzhou foreign teacher portal"),
        remarks=remarks.strip(),
        proposed_by=actor,
    )
    record.full_clean()
    record.save()
    _store_files(record, evidence, purpose=FilePurpose.EVIDENCE, actor=actor, field="evidence")
    audit_record(
        actor=actor,
        action="credit.record.proposed",
        target=record,
        after=model_snapshot(record, AUDIT_FIELDS),
    )
    return record


def _lock(record: CreditRecord) -> CreditRecord:
    return (
        # Only the record row is locked: FOR UPDATE cannot reach the nullable side of the
        # outer joins PostgreSQL needs for a record about a teacher or about a school.
        CreditRecord.objects.select_for_update(of=("self",))
        .select_related("teacher__user", "school")
        .get(pk=record.pk)
    )


def _record_url(record: CreditRecord) -> str:
    return reverse("credit:record", args=[record.code])


NOTICE_TITLE = _("A credit record about you has been proposed: you may object")
NOTICE_BODY = _(
    "The %(unit)s intends to record a %(severity)s restriction (“%(grounds)s”) from "
    "%(start)s until %(until)s.\n\nFacts: %(facts)s\n\nIf you disagree, submit an objection "
    "with your statement and any documents on your credit page by %(deadline)s. The record "
    "does not take effect while your objection is being decided."
)
COMMENDATION_TITLE = _("You have received a commendation")
COMMENDATION_BODY = _("The %(unit)s recorded a commendation (“%(grounds)s”): %(facts)s")


def _grounds_text(record: CreditRecord) -> str:
    return record.grounds_other or str(record.get_grounds_display())


@transaction.atomic
def credit_record_approve(*, actor: Any, record: CreditRecord) -> CreditRecord:
    """Approve a proposal as the second center user: notify a restriction, activate a praise.

    Raises ValidationError for the proposer (four eyes), PermissionDenied outside the center.
    """
    require_center_staff(actor)
    stored = _lock(record)
    if stored.proposed_by_id == actor.pk:
        # Four eyes: refused with a message (not a 403) so the proposer knows what to do.
        raise ValidationError(
            gettext("You proposed this record; another member of the center must approve it."),
            code="own_proposal",
        )
    now = timezone.now()
    extra: dict[str, Any] = {"approved_by": actor, "approved_at": now}
    if stored.kind == RecordKind.COMMENDATION:
        transition(
            stored,
            S.ACTIVE,
            actor=actor,
            transitions=CreditRecord.TRANSITIONS,
            action="credit.record.approved",
            extra={**extra, "activated_at": now},
            audit_fields=AUDIT_FIELDS,
        )
        for recipient in _recipients(stored):
            notify(
                recipient=recipient,
                kind="credit.commendation",
                title=COMMENDATION_TITLE,
                body=COMMENDATION_BODY,
                params={
                    "unit": stored.determining_unit,
                    "grounds": _grounds_text(stored),
                    "facts": stored.facts,
                },
                url=_record_url(stored),
            )
    else:
        deadline = add_working_days(
            timezone.localdate(now), policy_settings_get().credit_objection_working_days
        )
        transition(
            stored,
            S.NOTIFIED,
            actor=actor,
            transitions=CreditRecord.TRANSITIONS,
            action="credit.record.approved",
            extra={**extra, "notified_at": now, "objection_deadline": deadline},
            audit_fields=AUDIT_FIELDS,
        )
        for recipient in _recipients(stored):
            notify(
                recipient=recipient,
                kind="credit.notice",
                title=NOTICE_TITLE,
                body=NOTICE_BODY,
                params={
                    "unit": stored.determining_unit,
                    "severity": stored.get_severity_display(),
                    "grounds": _grounds_text(stored),
                    "start": stored.starts_on.isoformat(),
                    "until": stored.display_until.isoformat(),
                    "facts": stored.facts,
                    "deadline": deadline.isoformat(),
                },
                url=_record_url(stored),
            )
    _after_change(stored, actor=actor)
    return stored


def _end(
    stored: CreditRecord,
    to: str,
    *,
    actor: Any,
    reason: str = "",
    note_code: str = "",
    action: str,
    ended_on: date,
):
    # A person's reason is kept as typed; the system's as a code each reader reads in their
    # own language (CreditRecord.end_reason_text).
    years = policy_settings_get().credit_deletion_years
    transition(
        stored,
        to,
        actor=actor,
        transitions=CreditRecord.TRANSITIONS,
        reason=reason or (str(CreditEndNote(note_code).label) if note_code else ""),
        action=action,
        extra={
            "ended_on": ended_on,
            "end_reason": reason,
            "end_note_code": note_code,
            "delete_after": ended_on + relativedelta(years=years),
        },
        audit_fields=AUDIT_FIELDS,
    )
    _after_change(stored, actor=actor)
    return stored


@transaction.atomic
def credit_record_withdraw(*, actor: Any, record: CreditRecord, reason: str) -> CreditRecord:
    """Turn down a proposal or drop a notified restriction (center), with the reason."""
    require_center_staff(actor)
    if not reason.strip():
        raise ValidationError({"reason": gettext("Give the reason.")})
    stored = _lock(record)
    return _end(
        stored,
        S.WITHDRAWN,
        actor=actor,
        reason=reason.strip(),
        action="credit.record.withdrawn",
        ended_on=timezone.localdate(),
    )


@transaction.atomic
def credit_record_revoke(*, actor: Any, record: CreditRecord, reason: str) -> CreditRecord:
    """End an active record early (e.g. the decision was quashed), with the reason; audited."""
    require_center_staff(actor)
    if not reason.strip():
        raise ValidationError({"reason": gettext("Give the reason.")})
    stored = _lock(record)
    return _end(
        stored,
        S.REVOKED,
        actor=actor,
        reason=reason.strip(),
        action="credit.record.revoked",
        ended_on=timezone.localdate(),
    )

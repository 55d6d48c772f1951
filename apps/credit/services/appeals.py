"""Objections to notified restrictions and repair requests for active ones."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.permissions import require_center_staff
from apps.core.dates import add_working_days
from apps.core.selectors import policy_settings_get
from apps.core.services import audit_record
from apps.core.transitions import transition
from apps.notifications.services import notify

from ..models import (
    CreditRecord,
    FilePurpose,
    Objection,
    ObjectionDecision,
    RepairRequest,
    RepairStatus,
    Severity,
)
from ..selectors.records import record_repairable_from, user_owns_record
from .records import (
    AUDIT_FIELDS,
    S,
    _after_change,
    _check_no_health_data,
    _end,
    _lock,
    _recipients,
    _record_url,
    _store_files,
)

OBJECTION_TITLE = _("An objection to a credit record awaits your decision")
OBJECTION_BODY = _("%(subject)s objected to a %(severity)s restriction. Answer by %(due)s.")


@transaction.atomic
def objection_submit(
    *, actor: Any, record: CreditRecord, statement: str, files: Sequence[File] = ()
) -> Objection:
    """Object to a notified restriction before the deadline; holds it until the center decides.

    Raises PermissionDenied for anyone but the person (or their school's staff).
    """
    if not user_owns_record(actor, record):
        raise PermissionDenied
    stored = _lock(record)
    if stored.status != S.NOTIFIED:
        raise ValidationError(gettext("This record is not open to objection."))
    today = timezone.localdate()
    if stored.objection_deadline is None or today > stored.objection_deadline:
        raise ValidationError(
            gettext("The deadline to object was %(date)s.")
            % {"date": stored.objection_deadline.isoformat() if stored.objection_deadline else ""}
        )
    if not statement.strip():
        raise ValidationError({"statement": gettext("Write your statement.")})
    _check_no_health_data(statement=statement)
    due = add_working_days(today, policy_settings_get().credit_objection_answer_working_days)
    objection = Objection(
        record=stored, statement=statement.strip(), submitted_by=actor, answer_due=due
    )
    objection.full_clean()
    objection.save()
    _store_files(
        stored,
        files,
        purpose=FilePurpose.OBJECTION,
        actor=actor,
        field="files",
        objection=objection,
    )
    transition(
        stored,
        S.OBJECTION,
        actor=actor,
        transitions=CreditRecord.TRANSITIONS,
        reason=objection.statement,
        action="credit.record.objected",
        audit_fields=AUDIT_FIELDS,
    )
    for user in {u for u in (stored.proposed_by, stored.approved_by) if u and u.is_active}:
        notify(
            recipient=user,
            kind="credit.objection",
            title=OBJECTION_TITLE,
            body=OBJECTION_BODY,
            params={
                "subject": str(stored.subject),
                "severity": stored.get_severity_display(),
                "due": due.isoformat(),
            },
            url=reverse("admin:credit_objection_change", args=[objection.pk]),
        )
    return objection


DECISION_TITLE = _("Your objection to a credit record has been decided")
DECISION_BODY = _("Decision: %(decision)s.\n\nReason: %(reason)s")


@transaction.atomic
def objection_decide(*, actor: Any, objection: Objection, decision: str, reason: str) -> Objection:
    """Decide an objection with the reason: the record stands (active) or is withdrawn."""
    require_center_staff(actor)
    if decision not in ObjectionDecision.values:
        raise ValidationError({"decision": gettext("Choose a decision.")})
    if not reason.strip():
        raise ValidationError({"reason": gettext("Give the reason for the decision.")})
    stored = Objection.objects.select_for_update().get(pk=objection.pk)
    if stored.decision:
        raise ValidationError(gettext("This objection has already been decided."))
    record = _lock(stored.record)
    now = timezone.now()
    stored.decision, stored.decision_reason = decision, reason.strip()
    stored.decided_by, stored.decided_at = actor, now
    stored.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    if decision == ObjectionDecision.RECORD_STANDS:
        transition(
            record,
            S.ACTIVE,
            actor=actor,
            transitions=CreditRecord.TRANSITIONS,
            reason=stored.decision_reason,
            action="credit.record.objection_rejected",
            extra={"activated_at": now},
            audit_fields=AUDIT_FIELDS,
        )
        _after_change(record, actor=actor)
    else:
        _end(
            record,
            S.WITHDRAWN,
            actor=actor,
            reason=stored.decision_reason,
            action="credit.record.objection_accepted",
            ended_on=timezone.localdate(now),
        )
    for recipient in _recipients(record):
        notify(
            recipient=recipient,
            kind="credit.objection_decided",
            title=DECISION_TITLE,
            body=DECISION_BODY,
            params={"decision": stored.get_decision_display(), "reason": stored.decision_reason},
            url=_record_url(record),
        )
    return stored


@transaction.atomic
def objection_extend(*, actor: Any, objection: Objection, answer_due: date, reason: str):
    """Give the center more time to answer, up to the longest period the policy allows."""
    require_center_staff(actor)
    if not reason.strip():
        raise ValidationError({"reason": gettext("Give the reason.")})
    stored = Objection.objects.select_for_update().get(pk=objection.pk)
    latest = add_working_days(
        timezone.localdate(stored.submitted_at),
        policy_settings_get().credit_objection_answer_max_working_days,
    )
    if stored.decision or not stored.answer_due < answer_due <= latest:
        raise ValidationError(
            {
                "answer_due": gettext("Choose a date after %(due)s and no later than %(latest)s.")
                % {"due": stored.answer_due.isoformat(), "latest": latest.isoformat()}
            }
        )
    before = {"answer_due": stored.answer_due.isoformat()}
    stored.answer_due = answer_due
    stored.save(update_fields=["answer_due"])
    audit_record(
        actor=actor,
        action="credit.objection.extended",
        target=stored,
        before=before,
        after={"answer_due": answer_due.isoformat()},
        reason=reason.strip(),
    )
    return stored


REPAIR_TITLE = _("A credit repair request awaits your decision")
REPAIR_BODY = _("%(subject)s asks to repair a %(severity)s restriction.")


@transaction.atomic
def repair_request_submit(
    *, actor: Any, record: CreditRecord, commitment: str, letter: File | None
) -> RepairRequest:
    """Ask to repair an active restriction after its minimum period, with a commitment letter."""
    if not user_owns_record(actor, record):
        raise PermissionDenied
    stored = _lock(record)
    if stored.status != S.ACTIVE or not stored.is_negative:
        raise ValidationError(gettext("Only an active restriction can be repaired."))
    if stored.severity == Severity.SERIOUS:
        raise ValidationError(gettext("A serious restriction cannot be repaired."))
    earliest = record_repairable_from(stored)
    if timezone.localdate() < earliest:
        raise ValidationError(
            gettext("Repair can be requested from %(date)s.") % {"date": earliest.isoformat()}
        )
    if stored.repair_requests.filter(status=RepairStatus.PENDING).exists():
        raise ValidationError(gettext("A repair request for this record is already pending."))
    errors = {}
    if not commitment.strip():
        errors["commitment"] = gettext("Write your credit commitment.")
    if letter is None:
        errors["letter"] = gettext("Attach the signed credit commitment letter.")
    if errors:
        raise ValidationError(errors)
    repair = RepairRequest.objects.create(
        record=stored, commitment=commitment.strip(), submitted_by=actor
    )
    _store_files(
        stored,
        [letter],
        purpose=FilePurpose.COMMITMENT,
        actor=actor,
        field="letter",
        repair=repair,
    )
    audit_record(actor=actor, action="credit.repair.requested", target=repair)
    for user in {u for u in (stored.proposed_by, stored.approved_by) if u and u.is_active}:
        notify(
            recipient=user,
            kind="credit.repair",
            title=REPAIR_TITLE,
            body=REPAIR_BODY,
            params={"subject": str(stored.subject), "severity": stored.get_severity_display()},
            url=reverse("admin:credit_repairrequest_change", args=[repair.pk]),
        )
    return repair


REPAIR_DECIDED_TITLE = _("Your credit repair request has been decided")
REPAIR_DECIDED_BODY = _("Decision: %(decision)s.\n\nReason: %(reason)s")


@transaction.atomic
def repair_request_decide(
    *, actor: Any, repair: RepairRequest, grant: bool, reason: str
) -> RepairRequest:
    """Grant (the record ends as repaired) or refuse a repair request, with the reason."""
    require_center_staff(actor)
    if not reason.strip():
        raise ValidationError({"reason": gettext("Give the reason for the decision.")})
    stored = RepairRequest.objects.select_for_update().get(pk=repair.pk)
    transition(
        stored,
        RepairStatus.GRANTED if grant else RepairStatus.REFUSED,
        actor=actor,
        transitions=RepairRequest.TRANSITIONS,
        reason=reason.strip(),
        action="credit.repair.granted" if grant else "credit.repair.refused",
        extra={"decided_by": actor, "decided_at": timezone.now(), "decision_reason": reason},
    )
    record = _lock(stored.record)
    if grant:
        _end(
            record,
            S.REPAIRED,
            actor=actor,
            reason=reason.strip(),
            action="credit.record.repaired",
            ended_on=timezone.localdate(),
        )
    for recipient in _recipients(record):
        notify(
            recipient=recipient,
            kind="credit.repair_decided",
            title=REPAIR_DECIDED_TITLE,
            body=REPAIR_DECIDED_BODY,
            params={"decision": stored.get_status_display(), "reason": stored.decision_reason},
            url=_record_url(record),
        )
    return stored

"""The daily sweep (take effect, expire, delete) and audited file downloads."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from apps.accounts.permissions import is_center_staff_actor
from apps.core.services import audit_record
from apps.core.transitions import transition

from ..models import (
    CreditEndNote,
    CreditFile,
    CreditRecord,
    RecordKind,
)
from ..selectors.records import user_owns_record
from .records import (
    AUDIT_FIELDS,
    S,
    _after_change,
    _end,
)


def credit_records_sweep(*, on: date | None = None) -> dict[str, int]:
    """Activate restrictions whose objection time passed, expire ended ones, delete old ones.

    Safe to run twice: every move is a conditional update through transition().
    """
    on = on or timezone.localdate()
    counts = {"activated": 0, "expired": 0, "deleted": 0, "started": 0}
    due = CreditRecord.objects.filter(status=S.NOTIFIED, objection_deadline__lt=on)
    for record in due.order_by("pk").iterator():
        with transaction.atomic():
            try:
                transition(
                    record,
                    S.ACTIVE,
                    actor=None,
                    transitions=CreditRecord.TRANSITIONS,
                    reason=gettext("No objection before the deadline."),
                    action="credit.record.activated",
                    extra={"activated_at": timezone.now()},
                    audit_fields=AUDIT_FIELDS,
                )
            except ValidationError:
                continue  # moved meanwhile (an objection arrived)
            _after_change(record, actor=None)
            counts["activated"] += 1
    ended = CreditRecord.objects.filter(status=S.ACTIVE, display_until__lt=on)
    for record in ended.order_by("pk").iterator():
        with transaction.atomic():
            try:
                _end(
                    record,
                    S.EXPIRED,
                    actor=None,
                    note_code=CreditEndNote.DISPLAY_ENDED,
                    action="credit.record.expired",
                    ended_on=record.display_until,
                )
            except ValidationError:
                continue
            counts["expired"] += 1
    # Restrictions approved ahead of their start date come into force today.
    starting = CreditRecord.objects.filter(
        status=S.ACTIVE, kind=RecordKind.NEGATIVE, starts_on=on, display_until__gte=on
    ).select_related("school")
    for record in starting.iterator():
        _after_change(record, actor=None)
        counts["started"] += 1
    for record in CreditRecord.objects.filter(delete_after__lte=on).order_by("pk").iterator():
        counts["deleted"] += credit_record_delete(record=record, on=on)
    return counts


@transaction.atomic
def credit_record_delete(*, record: CreditRecord, on: date | None = None) -> int:
    """Delete an ended record and its files once its keeping period is over; audited."""
    stored = (
        CreditRecord.objects.select_for_update()
        .filter(pk=record.pk, delete_after__lte=on or timezone.localdate())
        .first()
    )
    if stored is None:
        return 0
    files = [f.file for f in stored.files.all()]
    # The audit event keeps no facts: the law wants the record gone, only the deletion stays.
    audit_record(
        actor=None,
        action="credit.record.deleted",
        target=None,
        before={"code": str(stored.code), "kind": stored.kind, "severity": stored.severity},
        reason=gettext("Kept period after the end has passed."),
    )
    stored.delete()
    for field_file in files:
        transaction.on_commit(lambda f=field_file: f.storage.delete(f.name))
    return 1


def credit_file_open(*, actor: Any, credit_file: CreditFile) -> CreditFile:
    """Return a record's file for download by the center or the record's person; audited."""
    if not (is_center_staff_actor(actor) or user_owns_record(actor, credit_file.record)):
        raise PermissionDenied
    audit_record(actor=actor, action="credit.file.downloaded", target=credit_file)
    return credit_file

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext

from apps.accounts.permissions import require_center_staff
from apps.core.services import audit_record, model_snapshot
from apps.teachers.uploads import inspect_upload

from .models import BlackListEntry

AUDIT_FIELDS = ["teacher", "school", "reason", "starts_on", "ends_on", "evidence_sha256"]


@transaction.atomic
def blacklist_entry_create(
    *,
    actor: Any,
    teacher: Any = None,
    school: Any = None,
    reason: str,
    starts_on: date,
    ends_on: date | None = None,
    evidence: File | None = None,
) -> BlackListEntry:
    """Put a teacher or a school on the black list (center only); evidence checked; audited."""
    require_center_staff(actor)
    if (teacher is None) == (school is None):
        raise ValidationError(gettext("Name either a teacher or a school."))
    if not reason.strip():
        raise ValidationError({"reason": gettext("Give the reason.")})
    entry = BlackListEntry(
        teacher=teacher,
        school=school,
        reason=reason.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    if evidence:
        try:
            info = inspect_upload(evidence)
        except ValidationError as exc:
            raise ValidationError({"evidence": exc.messages}) from exc
        entry.evidence.save(f"evidence{info.suffix}", evidence, save=False)
        entry.evidence_sha256 = info.sha256
    entry.full_clean()
    entry.save()
    audit_record(
        actor=actor,
        action="credit.blacklist.create",
        target=entry,
        after=model_snapshot(entry, AUDIT_FIELDS),
        reason=entry.reason,
    )
    return entry


@transaction.atomic
def blacklist_entry_update(
    *, actor: Any, entry: BlackListEntry, reason: str, ends_on: date | None, note: str = ""
) -> BlackListEntry:
    """Change an entry's reason or end date (e.g. lift it early); audited with the note."""
    require_center_staff(actor)
    stored = BlackListEntry.objects.select_for_update().get(pk=entry.pk)
    before = model_snapshot(stored, AUDIT_FIELDS)
    stored.reason, stored.ends_on = reason.strip(), ends_on
    stored.full_clean()
    stored.save(update_fields=["reason", "ends_on"])
    audit_record(
        actor=actor,
        action="credit.blacklist.update",
        target=stored,
        before=before,
        after=model_snapshot(stored, AUDIT_FIELDS),
        reason=note,
    )
    return stored

"""Import records determined elsewhere (e.g. another city's restriction) as proposals."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from apps.accounts.permissions import require_center_staff
from apps.core.services import audit_record

from ..exchange import import_preview
from ..models import Grounds, RecordKind
from .records import credit_record_propose


@transaction.atomic
def credit_import_apply(*, actor: Any, name: str, content: bytes) -> int:
    """Re-check the file and create a proposed record per clean row; all or nothing; audited.

    Raises ValidationError when the file itself is unusable or no row can be applied.
    """
    require_center_staff(actor)
    preview = import_preview(name=name, content=content)
    if preview.file_errors:
        raise ValidationError(preview.file_errors)
    rows = preview.applicable
    if not rows:
        raise ValidationError(gettext("No row of this file can be applied."))
    for row in rows:
        v = {k: (val or "").strip() for k, val in row.values.items()}
        kind = RecordKind.COMMENDATION if v["list_type"] == "red_list" else RecordKind.NEGATIVE
        credit_record_propose(
            actor=actor,
            teacher=row.teacher,
            school=row.school,
            kind=kind,
            severity=v.get("severity", "") if kind == RecordKind.NEGATIVE else "",
            grounds=v["grounds"],
            grounds_other=v.get("grounds_text", "") if v["grounds"] == Grounds.OTHER else "",
            facts=v["facts"],
            basis=v.get("basis", ""),
            determining_unit=v["determining_unit"],
            determining_unit_code=v.get("determining_unit_code", ""),
            decision_date=date.fromisoformat(v["decision_date"]),
            starts_on=date.fromisoformat(v["start_date"]),
            display_until=date.fromisoformat(v["display_until"]),
            data_source=v.get("data_source") or gettext("Imported from the credit platform"),
            remarks=v.get("remarks", ""),
        )
    audit_record(
        actor=actor,
        action="credit.import.applied",
        after={"file": name[:200], "rows": len(rows), "skipped": len(preview.rows) - len(rows)},
    )
    return len(rows)

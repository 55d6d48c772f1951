"""The credit section of "export my data" and account deletion."""

from typing import Any

from .explanations import star_explanation_render
from .models import CreditRecord, RecordStatus, StarLevelHistory, TeacherStarLevel


def export_credit(user: Any) -> dict[str, Any]:
    records = CreditRecord.objects.filter(teacher__user=user).exclude(status=RecordStatus.PROPOSED)
    rows = [
        {
            "kind": record.kind,
            "severity": record.severity,
            "grounds": record.grounds_other or record.grounds,
            "facts": record.facts,
            "determining_unit": record.determining_unit,
            "decision_date": record.decision_date.isoformat(),
            "start_date": record.starts_on.isoformat(),
            "display_until": record.display_until.isoformat(),
            "status": record.status,
        }
        for record in records
    ]
    level = TeacherStarLevel.objects.filter(teacher__user=user).first()
    history = [
        {"at": h.created_at.isoformat(), "from": h.previous_level, "to": h.level, "why": h.reason}
        for h in StarLevelHistory.objects.filter(teacher__user=user)
    ]
    data: dict[str, Any] = {}
    if rows:
        data["credit_records"] = rows
    if level is not None:
        data["star_level"] = {
            "level": level.level,
            "explanation": star_explanation_render(level.explanation),
            "history": history,
        }
    return data


def erase_credit(user: Any) -> None:
    # Credit records and star history stay with the Teacher row (detached from the login):
    # the credit regulation keeps them until 5 years after they end, and the daily task
    # deletes them then.
    return None

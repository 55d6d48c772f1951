"""The guidance section of "export my data" (checklist marks belong with the register)."""

from typing import Any

from .models import ChecklistEntry


def export_guidance(user: Any) -> dict[str, Any]:
    rows = [
        {
            "employment": str(entry.employment.code),
            "procedure": entry.procedure.slug,
            "status": entry.status,
            "done_on": entry.done_on.isoformat() if entry.done_on else None,
            "reason": entry.reason,
            "file": bool(entry.file),
        }
        for entry in ChecklistEntry.objects.filter(employment__teacher__user=user).select_related(
            "employment", "procedure"
        )
    ]
    return {"checklist_marks": rows} if rows else {}


def erase_guidance(user: Any) -> None:
    # The marks document the employment's legally required permits: kept with the register,
    # which the teachers app detaches from the login.
    return None

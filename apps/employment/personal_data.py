"""The employment section of "export my data" (the register itself is kept by law)."""

from typing import Any

from .models import Employment
from .selectors import employment_state


def export_employment(user: Any) -> dict[str, Any]:
    rows = []
    for employment in (
        Employment.objects.filter(teacher__user=user)
        .select_related("school")
        .prefetch_related("changes")
    ):
        state = employment_state(employment=employment)
        rows.append(
            {
                "school": str(employment.school),
                "status": employment.status,
                "contract_start": employment.contract_start.isoformat(),
                "contract_end": state.contract_end.isoformat(),
                "salary": employment.salary,
                "changes": [
                    {"kind": change.kind, "effective_on": change.effective_on.isoformat()}
                    for change in employment.changes.all()
                ],
            }
        )
    return {"employments": rows} if rows else {}


def erase_employment(user: Any) -> None:
    # Employment records are legally required: the teachers app detaches them from the login.
    return None

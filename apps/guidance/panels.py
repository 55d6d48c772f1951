"""The checklist summary shown on the school's employment page (registered in apps.py)."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from .selectors import NOT_APPLICABLE, hire_checklist_get


def employment_checklist_panel(request: HttpRequest, employment: Any) -> str:
    """Render the hire's open and done steps with their due dates."""
    checklist = hire_checklist_get(employment=employment)
    steps = [step for step in checklist.steps if step.status != NOT_APPLICABLE]
    return render_to_string(
        "guidance/_employment_panel.html",
        {"checklist": checklist, "steps": steps, "employment": employment},
        request=request,
    )

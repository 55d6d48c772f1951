from celery import shared_task

from . import services


@shared_task(name="guidance.remind_due_steps")
def remind_due_steps() -> int:
    """Remind schools and teachers before each open checklist step's due date (once each)."""
    return services.checklists_remind_due()


@shared_task(name="guidance.refresh_checklist_steps")
def refresh_checklist_steps(employment_ids: list[int] | None = None) -> int:
    """Recompute the open steps the overdue lists read (every hire when no ids are given)."""
    return services.checklist_steps_refresh(employment_ids=employment_ids)

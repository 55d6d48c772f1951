from celery import shared_task

from . import services


@shared_task(name="guidance.remind_due_steps")
def remind_due_steps() -> int:
    """Remind schools and teachers before each open checklist step's due date (once each)."""
    return services.checklists_remind_due()

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="evaluations.open_quarter_round")
def open_quarter_round() -> int:
    """Open the round of the quarter that just ended; returns how many evaluations it created."""
    return services.evaluation_round_open_due(today=timezone.localdate()).created


@shared_task(name="evaluations.send_reminders")
def send_evaluation_reminders() -> int:
    """Send the due opening / before-deadline / deadline reminders (each once)."""
    return services.evaluation_reminders_send(today=timezone.localdate())

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="employment.remind_expiries")
def remind_expiries() -> int:
    """Remind schools and teachers 60/30/7 days before a contract or permit expires."""
    return services.employments_remind_expiry(today=timezone.localdate())

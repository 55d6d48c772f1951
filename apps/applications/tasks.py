from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="applications.lapse_offers")
def lapse_offers() -> int:
    """Lapse open offers whose reply-by date has passed."""
    return services.offers_lapse(today=timezone.localdate())


@shared_task(name="applications.remind_interviews")
def remind_interviews() -> int:
    """Remind both sides of tomorrow's interviews."""
    return services.interviews_remind(now=timezone.now())


@shared_task(name="applications.nudge_idle_applications")
def nudge_idle_applications() -> dict:
    """Nudge schools, then the center, about applications nobody has answered."""
    return services.applications_nudge_idle(now=timezone.now())

"""Writes for idle applications: nudge the school, later the center, each once."""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy

from apps.accounts.models import Role, User
from apps.core.selectors import policy_settings_get
from apps.notifications.services import notify

from ..models import WAITING_ON_SCHOOL_STATUSES, Application
from .pipeline import tell_school

SCHOOL_NUDGE = gettext_lazy("%(teacher)s has waited %(days)s days for an answer on %(vacancy)s")
CENTER_NUDGE = gettext_lazy("%(count)s applications have waited more than %(days)s days")


def applications_nudge_idle(*, now: datetime) -> dict[str, int]:
    """Nudge schools, then center staff, about idle applications; each nudge goes once."""
    policy = policy_settings_get()
    school_cutoff = now - timedelta(days=policy.idle_application_school_days)
    center_cutoff = now - timedelta(days=policy.idle_application_center_days)
    idle = Application.objects.filter(status__in=WAITING_ON_SCHOOL_STATUSES)
    school_due = list(
        idle.filter(status_changed_at__lt=school_cutoff, school_nudged_at__isnull=True)
        .select_related("vacancy__school", "teacher__user")
        .order_by("id")
    )
    schools = 0
    for application in school_due:
        # Claim first: a second run (or a parallel worker) finds nothing left to send.
        if Application.objects.filter(pk=application.pk, school_nudged_at__isnull=True).update(
            school_nudged_at=now
        ):
            tell_school(
                application,
                title=SCHOOL_NUDGE,
                params={"days": policy.idle_application_school_days},
            )
            schools += 1
    center_due = idle.filter(status_changed_at__lt=center_cutoff, center_nudged_at__isnull=True)
    claimed = center_due.update(center_nudged_at=now)
    if claimed:
        url = reverse("admin:applications_application_changelist") + "?idle=1"
        for user in User.objects.filter(role=Role.CENTER_STAFF, is_active=True):
            notify(
                recipient=user,
                kind="application",
                title=CENTER_NUDGE,
                params={"count": claimed, "days": policy.idle_application_center_days},
                url=url,
            )
    return {"school": schools, "center": claimed}

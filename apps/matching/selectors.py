from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.core.models import District

from .models import MatchRun, MatchSuggestion, RunStatus


def stale_after() -> timedelta:
    """Return how long a run may stay queued or running before it counts as abandoned."""
    # A worker past Celery's hard time limit has been killed, so its claim is dead.
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def match_run_in_progress(*, district: District | None) -> MatchRun | None:
    """Return the live queued or running run over the same scope, if any."""
    cutoff = timezone.now() - stale_after()
    live = Q(status=RunStatus.QUEUED, created_at__gte=cutoff) | Q(
        status=RunStatus.RUNNING, started_at__gte=cutoff
    )
    return MatchRun.objects.filter(live, district=district).first()


def match_run_get(*, user, code) -> MatchRun:
    """Return a run by code; only center staff may see runs."""
    if not getattr(user, "is_center_staff", False):
        raise PermissionDenied
    return get_object_or_404(MatchRun.objects.select_related("district", "started_by"), code=code)


def match_assignment_list(
    *, user, run: MatchRun, district: District | None = None
) -> QuerySet[MatchSuggestion]:
    """Return the run's recommended assignment, by district, vacancy and score (center only)."""
    if not getattr(user, "is_center_staff", False):
        raise PermissionDenied
    pairs = MatchSuggestion.objects.filter(run=run, assigned=True).select_related(
        "teacher", "vacancy__school__district"
    )
    if district is not None:
        pairs = pairs.filter(vacancy__school__district=district)
    return pairs.order_by("vacancy__school__district__sort_order", "vacancy_id", "-score", "pk")

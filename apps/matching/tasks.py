from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from . import services

MAX_RETRIES = 3
RETRY_DELAY = 10  # seconds before the first retry; doubles each time


@shared_task(name="matching.execute_run", bind=True, acks_late=settings.CELERY_TASK_ACKS_LATE)
def execute_run(self, run_id: int) -> str:
    """Execute one matching run; a redelivered or retried task finishes it exactly once."""
    task_id = self.request.id or ""
    try:
        run = services.match_run_execute(run_id=run_id, task_id=task_id)
    except OperationalError as exc:
        if self.request.retries >= MAX_RETRIES:
            services.match_run_fail(run_id=run_id, task_id=task_id, reason=repr(exc))
            return "failed"
        raise self.retry(
            exc=exc, countdown=RETRY_DELAY * 2**self.request.retries, max_retries=MAX_RETRIES
        ) from exc
    return run.status if run is not None else "not-claimed"


@shared_task(name="matching.nightly_refresh")
def nightly_refresh() -> str:
    """Close abandoned runs, prune old pair rows, and queue the city-wide refresh."""
    services.match_runs_fail_abandoned()
    pruned = services.match_runs_prune()
    run = services.match_run_start_scheduled()
    return f"pruned {pruned}; " + (f"queued {run.pk}" if run else "a city run is in progress")

"""Worker jobs (a matching run, a report build): claim a row exactly once, settle abandoned ones.

A job row has ``status`` (queued → running → …, the model's TRANSITIONS allowing running →
running), ``created_at``, ``started_at``, ``attempts`` and ``task_id``. Tasks run with
``acks_late`` and ``task_reject_on_worker_lost``, so when a worker dies mid-task the broker
redelivers it under the same task id: a running row with that id may be taken over at once.
A running row older than Celery's hard time limit has lost its worker too (killed at the
limit, which acknowledges the task), so any execution may take it. A periodic sweep settles the
rows no worker will come back for (a lost message, a worker killed at the limit)::

    build = job_claim(ReportBuild, pk=build_id, task_id=self.request.id, queued=Q, running=R)
    if build is None:
        return  # finished, or owned by a live worker
    ...  # write the result only while status is running and attempts is still build.attempts
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from .transitions import transition

M = TypeVar("M", bound=models.Model)


def stale_after() -> timedelta:
    """Return how long a job may stay queued or running before it counts as abandoned."""
    # A worker past Celery's hard time limit has been killed, so its claim is dead.
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def jobs_abandoned(*, queued: str, running: str, now: datetime | None = None) -> Q:
    """Return the filter of jobs queued or running for longer than the stale limit."""
    cutoff = (now or timezone.now()) - stale_after()
    return Q(status=queued, created_at__lt=cutoff) | Q(status=running, started_at__lt=cutoff)


def job_claim(
    model: type[M],
    *,
    pk: int,
    task_id: str,
    queued: str,
    running: str,
    action: str | None = None,
    audit_fields: list[str] | None = None,
    extra: dict[str, Any] | None = None,
) -> M | None:
    """Move a queued job (or a dead worker's) to running for this task; None if not claimable.

    Counts the attempt, stores the task id and the start time (plus ``extra``), audited.
    """
    now = timezone.now()
    claimable = Q(status=queued) | Q(status=running, started_at__lt=now - stale_after())
    if task_id:
        # The broker redelivers an unacknowledged task under the same id only when the worker
        # that held it died (acks_late), so that job may be taken over at once.
        claimable |= Q(status=running, task_id=task_id)
    with transaction.atomic():
        job = model._default_manager.filter(claimable, pk=pk).select_for_update().first()
        if job is None:
            return None
        transition(
            job,
            running,
            actor=None,
            transitions=model.TRANSITIONS,
            action=action,
            extra={
                "started_at": now,
                "attempts": F("attempts") + 1,
                "task_id": task_id,
                **(extra or {}),
            },
            audit_fields=audit_fields,
        )
    return job


def job_owned(model: type[M], *, pk: int, running: str, attempt: int) -> M | None:
    """Lock and return the job if this attempt still owns it (inside a transaction), else None.

    A stale attempt that wakes up after another took the job over must not write its result.
    """
    return (
        model._default_manager.select_for_update()
        .filter(pk=pk, status=running, attempts=attempt)
        .first()
    )


def jobs_abandoned_settle(
    model: type[M], *, queued: str, running: str, settle: Callable[[M], Any]
) -> int:
    """Call ``settle`` on each abandoned job, locked and still abandoned; return how many."""
    settled = 0
    stale = jobs_abandoned(queued=queued, running=running)
    for pk in list(model._default_manager.filter(stale).values_list("pk", flat=True)):
        with transaction.atomic():
            # Still stale under the lock: a worker may have claimed it since the listing.
            job = model._default_manager.select_for_update().filter(stale, pk=pk).first()
            if job is None:
                continue
            settle(job)
            settled += 1
    return settled

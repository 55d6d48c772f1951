"""Start and execute matching runs: claim, load, score, assign, store, finish — exactly once."""

from __future__ import annotations

import logging
import time
from dataclasses import asdict
from decimal import Decimal

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import Role
from apps.admission.pairs import START_TOLERANCE_DAYS
from apps.core.bulk import bulk_insert
from apps.core.models import District
from apps.core.services import audit_record, model_snapshot

from .engine import K_SHOWN, SCORE_SCALE, Weights, assign_shortlists, score_and_shortlist
from .engine.components import plan_scoring, score_sides
from .engine.encoding import Side
from .loader import MatchingData, load_matching_data
from .models import RUN_TRANSITIONS, MatchRun, MatchSuggestion, RunKind, RunStatus
from .selectors import match_run_in_progress, stale_after

logger = logging.getLogger(__name__)

RUN_FIELDS = ["kind", "district_id", "status", "failure_reason", "attempts", "counts"]
RUN_IN_PROGRESS = gettext_lazy(
    "A run over this scope is still queued or running; wait for it to finish."
)
PHASES = ("load", "score", "assign", "prepare", "store", "total")
COMPONENT_DIGITS = 3  # decimals kept of each component value in [0, 1]


def _check_transition(run: MatchRun, target: str) -> None:
    if target not in RUN_TRANSITIONS[run.status]:
        raise ValidationError(
            _("A %(status)s run cannot become %(target)s.")
            % {"status": run.get_status_display(), "target": RunStatus(target).label}
        )


@transaction.atomic
def match_run_start(*, actor, district: District | None = None, queue: bool = True) -> MatchRun:
    """Queue a full matching run over the city or one district (center staff only).

    ``queue=False`` leaves the run queued for the caller to execute (``run_matching --sync``).
    """
    if not getattr(actor, "is_authenticated", False) or actor.role != Role.CENTER_STAFF:
        raise PermissionDenied(_("Only service center staff can start a matching run."))
    if match_run_in_progress(district=district) is not None:
        raise ValidationError(RUN_IN_PROGRESS)
    run = MatchRun(
        kind=RunKind.FULL,
        district=district,
        started_by=actor,
        weights=asdict(Weights()),
        status=RunStatus.QUEUED,
    )
    run.full_clean()
    run.save()
    audit_record(
        actor=actor,
        action="matching.run_started",
        target=run,
        after=model_snapshot(run, RUN_FIELDS),
    )
    if queue:
        from .tasks import execute_run

        execute_run.delay_on_commit(run.pk)
    return run


def match_run_claim(*, run_id: int, task_id: str = "") -> int | None:
    """Take a queued run (or a dead worker's) for this execution; return the attempt or None."""
    now = timezone.now()
    claimable = Q(status=RunStatus.QUEUED) | Q(
        status=RunStatus.RUNNING, started_at__lt=now - stale_after()
    )
    if task_id:
        # The broker redelivers an unacknowledged task under the same id only when the worker
        # that held it died (acks_late), so that run may be taken over at once.
        claimable |= Q(status=RunStatus.RUNNING, task_id=task_id)
    with transaction.atomic():
        claimed = (
            MatchRun.objects.filter(claimable, pk=run_id)
            .select_for_update()
            .values_list("attempts", flat=True)
            .first()
        )
        if claimed is None:
            return None
        attempt = claimed + 1
        MatchRun.objects.filter(pk=run_id).update(
            status=RunStatus.RUNNING,
            started_at=now,
            attempts=F("attempts") + 1,
            task_id=task_id,
            failure_reason="",
        )
        run = MatchRun.objects.get(pk=run_id)
        audit_record(
            actor=None,
            action="matching.run_claimed",
            target=run,
            after=model_snapshot(run, RUN_FIELDS),
        )
    return attempt


def _suggestion_rows(run: MatchRun, data: MatchingData, scoring, assignment) -> list[dict]:
    by_post = scoring.by_post
    post_idx = np.repeat(np.arange(len(by_post), dtype=np.int64), np.diff(by_post.indptr))
    teacher_idx = by_post.items.astype(np.int64)
    ranks = np.arange(len(teacher_idx), dtype=np.int64) - np.repeat(
        by_post.indptr[:-1], np.diff(by_post.indptr)
    )
    n_t = max(len(data.teachers), 1)
    keys = post_idx * n_t + teacher_idx
    assigned_keys = assignment.posts.astype(np.int64) * n_t + assignment.teachers.astype(np.int64)
    assigned = np.isin(keys, assigned_keys)
    extra = assigned_keys[~np.isin(assigned_keys, keys)]
    post_idx = np.concatenate([post_idx, extra // n_t])
    teacher_idx = np.concatenate([teacher_idx, extra % n_t])
    ranks = np.concatenate([ranks + 1, np.zeros(len(extra), dtype=np.int64)])
    assigned = np.concatenate([assigned, np.ones(len(extra), dtype=bool)])
    plan = plan_scoring(data.teachers, Weights(**run.weights))
    values: dict[str, np.ndarray] = {}
    units = score_sides(Side(data.teachers, teacher_idx), Side(data.posts, post_idx), plan, values)
    codes = list(values)
    columns = [
        np.round(values[code].astype(np.float64), COMPONENT_DIGITS).tolist() for code in codes
    ]
    teacher_ids = data.teacher_ids[teacher_idx].tolist()
    vacancy_ids = data.vacancy_ids[post_idx].tolist()
    scale = Decimal(SCORE_SCALE)
    return [
        {
            "run_id": run.pk,
            "teacher_id": teacher_ids[i],
            "vacancy_id": vacancy_ids[i],
            "rank": rank or None,
            "score": Decimal(int(units[i])) / scale,
            "components": dict(zip(codes, (column[i] for column in columns), strict=True)),
            "assigned": flag,
        }
        for i, (rank, flag) in enumerate(zip(ranks.tolist(), assigned.tolist(), strict=True))
    ]


def _finish(run_id: int, attempt: int | None, task_id: str = "", **values) -> bool:
    """Close the run if this attempt (or else this task) still owns it; return whether it did."""
    run = MatchRun.objects.select_for_update().get(pk=run_id)
    owner = run.attempts == attempt if attempt is not None else run.task_id == task_id
    if run.status != RunStatus.RUNNING or not owner:
        return False
    before = model_snapshot(run, RUN_FIELDS)
    _check_transition(run, values["status"])
    for name, value in values.items():
        setattr(run, name, value)
    run.finished_at = timezone.now()
    run.full_clean()
    run.save()
    audit_record(
        actor=None,
        action=f"matching.run_{run.status}",
        target=run,
        before=before,
        after=model_snapshot(run, RUN_FIELDS),
        reason=run.failure_reason,
    )
    return True


def match_run_fail(
    *, run_id: int, reason: str, attempt: int | None = None, task_id: str = ""
) -> bool:
    """Mark the run failed with its reason (when this attempt, or else this task, owns it)."""
    with transaction.atomic():
        return _finish(
            run_id, attempt, task_id, status=RunStatus.FAILED, failure_reason=reason[:2000]
        )


def match_run_execute(*, run_id: int, task_id: str = "") -> MatchRun | None:
    """Claim the run, compute shortlists and the assignment, store them, and mark it done."""
    attempt = match_run_claim(run_id=run_id, task_id=task_id)
    if attempt is None:
        return None
    run = MatchRun.objects.select_related("district").get(pk=run_id)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(phase: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[phase] = round(now - clock, 3)
        clock = now

    started = clock
    try:
        data = load_matching_data(district=run.district)
        lap("load")
        scoring = score_and_shortlist(
            data.teachers,
            data.posts,
            weights=Weights(**run.weights),
            k_post=K_SHOWN,
            start_tolerance_days=START_TOLERANCE_DAYS,
        )
        lap("score")
        assignment = assign_shortlists(scoring, data.posts.capacity)
        lap("assign")
        rows = _suggestion_rows(run, data, scoring, assignment)
        lap("prepare")
        with transaction.atomic():
            # Lock first: a stale attempt that wakes up late must not overwrite a newer one.
            owner = MatchRun.objects.select_for_update().get(pk=run_id)
            if owner.status != RunStatus.RUNNING or owner.attempts != attempt:
                return None
            if connection.vendor == "postgresql":
                # Check the foreign keys while copying, so the store timing includes them.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            MatchSuggestion.objects.filter(run_id=run_id).delete()
            written = bulk_insert(MatchSuggestion, rows)
            lap("store")
            timings["total"] = round(time.perf_counter() - started, 3)
            counts = {
                "teachers": len(data.teachers),
                "posts": len(data.posts),
                "capacity": int(data.posts.capacity.sum()),
                "eligible_pairs": scoring.eligible_pairs,
                "suggestions": written,
                "assigned": len(assignment.teachers),
                "total_score": round(assignment.total_score / SCORE_SCALE, 2),
            }
            _finish(run_id, attempt, status=RunStatus.DONE, timings=timings, counts=counts)
    except OperationalError:
        # A database hiccup: leave the run claimed; the task retries and re-claims it.
        raise
    except Exception as exc:
        logger.exception("Matching run %s failed", run_id)
        match_run_fail(run_id=run_id, attempt=attempt, reason=f"{type(exc).__name__}: {exc}")
    return MatchRun.objects.get(pk=run_id)

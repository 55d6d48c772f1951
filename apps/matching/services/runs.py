"""Start and execute matching runs: claim, load, score, assign, store, finish — exactly once."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from apps.accounts.permissions import require_center_staff
from apps.core.bulk import JSONText, bulk_insert
from apps.core.jobs import job_claim, job_owned, jobs_abandoned_settle
from apps.core.models import District
from apps.core.services import audit_record, model_snapshot
from apps.core.transitions import transition

from ..caching import teacher_pages_changed
from ..compute import COMPUTE, Clock, Outcome
from ..engine import SCORE_SCALE
from ..models import MatchRun, MatchSuggestion, RunKind, RunPhase, RunStatus
from ..selectors import match_run_in_progress, stale_after
from ..selectors.weights import matching_weights_get

logger = logging.getLogger(__name__)

RUN_FIELDS = [
    "kind",
    "district_id",
    "vacancy_id",
    "teacher_id",
    "season_start",
    "season_end",
    "status",
    "failure_reason",
    "attempts",
    "counts",
]
RUN_IN_PROGRESS = gettext_lazy(
    "A run over this scope is still queued or running; wait for it to finish."
)
# Stored untranslated; the run page translates it for the reader (gettext_noop marks it).
ABANDONED = gettext_noop("No worker finished this run within the time limit.")
RUN_ROWS_KEPT_DAYS = 30  # pair rows of older runs are pruned nightly
COMPONENT_DIGITS = 3  # decimals kept of each component value in [0, 1]


def _move(run: MatchRun, to: str, *, action: str, reason: str = "", **values) -> None:
    # Every status change of a run: the map check, the conditional update and the audit event
    # (with the run's fields before and after) are core.transitions'.
    transition(
        run,
        to,
        actor=None,
        transitions=MatchRun.TRANSITIONS,
        action=action,
        reason=reason,
        extra=values,
        audit_fields=RUN_FIELDS,
    )


def _queue(run: MatchRun, *, actor, queue: bool) -> MatchRun:
    run.full_clean()
    run.save()
    audit_record(
        actor=actor,
        action="matching.run_started",
        target=run,
        after=model_snapshot(run, RUN_FIELDS),
    )
    if queue:
        from ..tasks import execute_run

        execute_run.delay_on_commit(run.pk)
    return run


def match_run_check(
    *,
    district: District | None,
    kind: str,
    season_start: date | None = None,
    season_end: date | None = None,
) -> None:
    """Raise a ValidationError (keyed by field) when such a run cannot be started now.

    The one set of start rules: the service applies it, and the staff page's and the admin's
    forms call it to show the message beside the field while keeping the input.
    """
    if kind not in (RunKind.FULL, RunKind.STABLE):
        raise ValidationError({"kind": _("Choose a full run or a stable round.")})
    if kind == RunKind.STABLE:
        if not (season_start and season_end):
            raise ValidationError(
                {"season_start": _("A stable round needs the season's first and last day.")}
            )
        if season_end < season_start:
            raise ValidationError(
                {"season_end": _("The season must end on or after its first day.")}
            )
    if match_run_in_progress(district=district, kind=kind) is not None:
        raise ValidationError(RUN_IN_PROGRESS)


@transaction.atomic
def match_run_start(
    *,
    actor,
    district: District | None = None,
    kind: str = RunKind.FULL,
    season_start: date | None = None,
    season_end: date | None = None,
    queue: bool = True,
) -> MatchRun:
    """Queue a full run or a stable round over the city or one district (center staff only).

    ``queue=False`` leaves the run queued for the caller to execute (``run_matching --sync``).
    """
    require_center_staff(actor)
    match_run_check(district=district, kind=kind, season_start=season_start, season_end=season_end)
    run = MatchRun(
        kind=kind,
        district=district,
        started_by=actor,
        weights=asdict(matching_weights_get()),
        season_start=season_start if kind == RunKind.STABLE else None,
        season_end=season_end if kind == RunKind.STABLE else None,
    )
    return _queue(run, actor=actor, queue=queue)


@transaction.atomic
def match_run_start_scheduled() -> MatchRun | None:
    """Queue the nightly city-wide refresh, unless a city run is still going."""
    if match_run_in_progress(district=None, kind=RunKind.FULL) is not None:
        return None
    run = MatchRun(kind=RunKind.FULL, weights=asdict(matching_weights_get()))
    return _queue(run, actor=None, queue=True)


@transaction.atomic
def incremental_run_start(*, vacancy=None, teacher=None) -> MatchRun | None:
    """Queue one vacancy's or one teacher's shortlist (unless one is already waiting)."""
    if (vacancy is None) == (teacher is None):
        raise ValueError("pass exactly one of vacancy and teacher")
    subject = {"vacancy": vacancy} if vacancy is not None else {"teacher": teacher}
    # A queued run older than the stale limit was lost by the broker; it must not block.
    waiting = MatchRun.objects.filter(
        kind=RunKind.INCREMENTAL,
        status=RunStatus.QUEUED,
        created_at__gte=timezone.now() - stale_after(),
        **subject,
    ).exists()
    if waiting:
        return None
    run = MatchRun(kind=RunKind.INCREMENTAL, weights=asdict(matching_weights_get()), **subject)
    return _queue(run, actor=None, queue=True)


def match_run_claim(*, run_id: int, task_id: str = "") -> int | None:
    """Take a queued run (or a dead worker's) for this execution; return the attempt or None."""
    run = job_claim(
        MatchRun,
        pk=run_id,
        task_id=task_id,
        queued=RunStatus.QUEUED,
        running=RunStatus.RUNNING,
        action="matching.run_claimed",
        audit_fields=RUN_FIELDS,
        extra={"phase": RunPhase.LOAD, "failure_reason": ""},
    )
    return run.attempts if run is not None else None


# The JSON text of every component value by its count of 10**-COMPONENT_DIGITS steps: values
# lie in [0, 1], so looking the text up is several times faster than encoding a float per pair
# (city runs store ~160k pairs of ~10 components), and it is the very text json.dumps writes
# for the rounded float (its repr), so the stored JSON is the same.
_STEPS = 10**COMPONENT_DIGITS
_STEP_TEXT = np.array([repr(k / _STEPS) for k in range(_STEPS + 1)], dtype=object)


def _components_json(components: dict[str, np.ndarray]) -> list:
    """Return each pair's {code: value} JSON (values rounded to COMPONENT_DIGITS decimals)."""
    codes = list(components)
    steps = [np.rint(components[code].astype(np.float64) * _STEPS) for code in codes]
    if not all(np.all((column >= 0) & (column <= _STEPS)) for column in steps):
        # Not expected (every component is a fraction), but never store a wrong value.
        values = [(column / _STEPS).tolist() for column in steps]
        return [dict(zip(codes, row, strict=True)) for row in zip(*values, strict=True)]
    texts = [_STEP_TEXT[column.astype(np.int64)].tolist() for column in steps]
    template = "{" + ", ".join(f"{json.dumps(code)}: %s" for code in codes) + "}"
    return [JSONText(template % row) for row in zip(*texts, strict=True)]


def _suggestion_rows(run: MatchRun, outcome: Outcome) -> list[dict]:
    """Turn the computed pairs (with their scores and components) into MatchSuggestion rows."""
    data, pairs = outcome.data, outcome.pairs
    teacher_ids = data.teacher_ids[pairs.teachers].tolist() if len(pairs) else []
    vacancy_ids = data.vacancy_ids[pairs.posts].tolist() if len(pairs) else []
    scale = Decimal(SCORE_SCALE)
    return [
        {
            "run_id": run.pk,
            "teacher_id": teacher_id,
            "vacancy_id": vacancy_id,
            "rank": rank or None,
            "teacher_rank": teacher_rank or None,
            "score": Decimal(units) / scale,
            "components": components,
            "assigned": flag,
        }
        for teacher_id, vacancy_id, rank, teacher_rank, units, components, flag in zip(
            teacher_ids,
            vacancy_ids,
            pairs.rank.tolist(),
            pairs.teacher_rank.tolist(),
            outcome.scores.tolist(),
            _components_json(outcome.components),
            pairs.assigned.tolist(),
            strict=True,
        )
    ]


def _finish(run_id: int, attempt: int | None, task_id: str = "", **values) -> bool:
    """Close the run if this attempt (or else this task) still owns it; return whether it did."""
    run = MatchRun.objects.select_for_update().get(pk=run_id)
    owner = run.attempts == attempt if attempt is not None else run.task_id == task_id
    if run.status != RunStatus.RUNNING or not owner:
        return False
    to = values.pop("status")
    _move(
        run,
        to,
        action=f"matching.run_{to}",
        reason=values.get("failure_reason", run.failure_reason),
        finished_at=timezone.now(),
        **values,
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


def _enter_phase(run_id: int, attempt: int, phase: str) -> None:
    # Its own short write, outside the store transaction, so the polling page sees it at once.
    MatchRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, attempts=attempt).update(
        phase=phase
    )


def match_run_execute(*, run_id: int, task_id: str = "") -> MatchRun | None:
    """Claim the run, compute what its kind asks for, store the pairs, and mark it done."""
    attempt = match_run_claim(run_id=run_id, task_id=task_id)
    if attempt is None:
        return None
    run = MatchRun.objects.select_related("district", "vacancy", "teacher").get(pk=run_id)
    clock = Clock(lambda phase: _enter_phase(run_id, attempt, phase))
    try:
        _enter_phase(run_id, attempt, RunPhase.LOAD)
        outcome = COMPUTE[run.kind](run, clock)
        rows = _suggestion_rows(run, outcome)
        clock.lap("prepare", RunPhase.STORE)
        with transaction.atomic():
            # Lock first: a stale attempt that wakes up late must not overwrite a newer one.
            if job_owned(MatchRun, pk=run_id, running=RunStatus.RUNNING, attempt=attempt) is None:
                return None
            MatchSuggestion.objects.filter(run_id=run_id).delete()
            written = bulk_insert(MatchSuggestion, rows)
            clock.lap("store")
            timings = clock.timings | {"total": clock.total()}
            _finish(
                run_id,
                attempt,
                status=RunStatus.DONE,
                phase=RunPhase.FINISHED,
                timings=timings,
                counts=outcome.counts | {"suggestions": written},
                findings=outcome.findings,
            )
    except OperationalError:
        # A database hiccup: leave the run claimed; the task retries and re-claims it.
        raise
    except Exception as exc:
        logger.exception("Matching run %s failed", run_id)
        match_run_fail(run_id=run_id, attempt=attempt, reason=f"{type(exc).__name__}: {exc}")
    return MatchRun.objects.get(pk=run_id)


def match_runs_prune(*, keep_days: int = RUN_ROWS_KEPT_DAYS) -> int:
    """Delete the pair rows of finished runs older than ``keep_days``; return rows deleted.

    Runs themselves stay (the record of what was recommended); so do the rows of the newest
    finished full run and stable round per scope, which the portal's pages read. Pushed
    suggestions keep their own copy of the explanation.
    """
    cutoff = timezone.now() - timedelta(days=keep_days)
    newest_per_scope: dict[tuple[str, int | None], int] = {}
    finished = MatchRun.objects.filter(
        kind__in=(RunKind.FULL, RunKind.STABLE), status=RunStatus.DONE
    )
    for pk, kind, district_id in finished.order_by("-finished_at", "-pk").values_list(
        "pk", "kind", "district_id"
    ):
        newest_per_scope.setdefault((kind, district_id), pk)
    old = MatchRun.objects.filter(
        status__in=(RunStatus.DONE, RunStatus.FAILED), finished_at__lt=cutoff
    ).exclude(pk__in=newest_per_scope.values())
    deleted, _by_model = MatchSuggestion.objects.filter(run__in=old).delete()
    if deleted:
        teacher_pages_changed()  # rarely, a teacher's newest ranking was among them
    return deleted


def match_runs_fail_abandoned() -> int:
    """Mark failed the runs no worker finished within the stale limit; return how many.

    A lost broker message, or a worker killed at the hard time limit (which acknowledges the
    task), would otherwise leave a run queued or running for ever, and its page polling.
    """

    def fail(run: MatchRun) -> None:
        _move(
            run,
            RunStatus.FAILED,
            action="matching.run_failed",
            reason=ABANDONED,
            failure_reason=ABANDONED,
            finished_at=timezone.now(),
        )

    return jobs_abandoned_settle(
        MatchRun, queued=RunStatus.QUEUED, running=RunStatus.RUNNING, settle=fail
    )

"""Time incremental shortlists end to end on the current database: one line per run, then medians.

Each run goes through the real service (``incremental_run_start``) with Celery forced eager, so
the task executes in this process as soon as the service's transaction commits: the wall time
covers queueing, claiming, loading, scoring, storing and finishing.
"""

from statistics import median
from time import perf_counter

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from apps.matching import services
from apps.matching.loader import teacher_candidates, vacancy_candidates
from apps.matching.models import MatchRun, RunKind, RunStatus
from apps.teachers.models import Teacher
from apps.vacancies.models import Vacancy

PHASES = ("load", "score", "prepare", "store", "total")
TARGET_SECONDS = 1.0  # the budget for one incremental run, end to end


def spread(ids: list[int], count: int) -> list[int]:
    """Pick ``count`` ids evenly spaced over the sorted list (the same ones every time)."""
    if len(ids) <= count:
        return ids
    step = len(ids) / count
    return [ids[int(i * step)] for i in range(count)]


class Command(BaseCommand):
    help = "Benchmark incremental matching runs (one vacancy, one teacher) on this database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--count", type=int, default=5, help="Vacancies and teachers to shortlist (each)."
        )

    def handle(self, *args: object, **options: object) -> None:
        from hangzhou_waijiao.celery import app

        count = options["count"]
        vacancy_ids = spread(
            list(vacancy_candidates().order_by("pk").values_list("pk", flat=True)), count
        )
        teacher_ids = spread(
            list(
                teacher_candidates(only=Q(category__isnull=False))
                .order_by("pk")
                .values_list("pk", flat=True)
            ),
            count,
        )
        if not vacancy_ids or not teacher_ids:
            raise CommandError("Needs published vacancies and verified teachers.")
        saved = app.conf.task_always_eager, app.conf.task_eager_propagates
        app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
        try:
            totals = {
                "vacancy": [
                    self._time(vacancy=v) for v in Vacancy.objects.filter(pk__in=vacancy_ids)
                ],
                "teacher": [
                    self._time(teacher=t) for t in Teacher.objects.filter(pk__in=teacher_ids)
                ],
            }
        finally:
            app.conf.task_always_eager, app.conf.task_eager_propagates = saved
        for kind, seconds in totals.items():
            self.stdout.write(
                f"{kind} runs: {len(seconds)}, median {median(seconds):.3f} s, "
                f"max {max(seconds):.3f} s (target ≤ {TARGET_SECONDS:.1f} s)"
            )

    def _time(self, **subject) -> float:
        started = perf_counter()
        run = services.incremental_run_start(**subject)
        if run is None:
            # A run for this subject already waits (its task was never delivered): take it.
            run = MatchRun.objects.filter(
                kind=RunKind.INCREMENTAL, status=RunStatus.QUEUED, **subject
            ).first()
        if MatchRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).exists():
            # Inside an outer transaction (a test) the after-commit task has not run yet.
            services.match_run_execute(run_id=run.pk)
        wall = perf_counter() - started
        run.refresh_from_db()
        if run.status != RunStatus.DONE:
            raise CommandError(f"Run {run.pk} ended {run.status}: {run.failure_reason}")
        ((kind, target),) = subject.items()
        phases = "  ".join(f"{phase} {run.timings.get(phase, 0):.3f}" for phase in PHASES)
        self.stdout.write(
            f"{kind} {target.pk}: {phases}  end-to-end {wall:.3f} s  "
            f"teachers {run.counts['teachers']} posts {run.counts['posts']} "
            f"suggestions {run.counts['suggestions']}"
        )
        return wall

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import services


@shared_task(
    name="reports.build_report",
    bind=True,
    autoretry_for=(services.TransientBuildError, OperationalError, InterfaceError),
    retry_backoff=30,
    max_retries=3,
)
def build_report_task(self, build_id: int) -> str:
    """Build one queued annual report (XLSX and PDF); a redelivered task finishes it once."""
    # The task id lets the broker's redelivery after a worker died take the build over.
    build = services.report_build_run(build_id=build_id, task_id=self.request.id or "")
    return build.status if build is not None else "skipped"


@shared_task(name="reports.build_annual_reports")
def build_annual_reports() -> int:
    """Queue last year's city and district reports; bureaus are told when each is ready."""
    return len(services.reports_schedule_annual(today=timezone.localdate()))


@shared_task(name="reports.reclaim_abandoned_builds")
def reclaim_abandoned_builds() -> int:
    """Queue again (or fail, after repeated attempts) builds no worker finished in time."""
    return services.report_builds_reclaim_abandoned()

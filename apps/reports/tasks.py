from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import services


@shared_task(
    name="reports.build_report",
    autoretry_for=(services.TransientBuildError, OperationalError, InterfaceError),
    retry_backoff=30,
    max_retries=3,
)
def build_report_task(build_id: int) -> str:
    """Build one queued annual report (XLSX and PDF); a second run finds it claimed."""
    build = services.report_build_run(build_id=build_id)
    return build.status if build is not None else "skipped"


@shared_task(name="reports.build_annual_reports")
def build_annual_reports() -> int:
    """Queue last year's city and district reports; bureaus are told when each is ready."""
    return len(services.reports_schedule_annual(today=timezone.localdate()))

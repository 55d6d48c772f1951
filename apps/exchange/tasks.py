"""Celery tasks of the data exchange: thin wrappers around services."""

from celery import shared_task

from .services import export_job_run


@shared_task(name="exchange.run_export")
def export_job_run_task(job_id: int) -> bool:
    """Generate one queued bulk export; a second delivery finds it claimed and does nothing."""
    return export_job_run(job_id=job_id)

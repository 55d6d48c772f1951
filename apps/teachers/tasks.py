from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="teachers.expire_documents_and_remind")
def expire_documents_and_remind() -> dict[str, int]:
    """Mark documents past their expiry as expired and send due expiry reminders (idempotent)."""
    today = timezone.localdate()
    return {
        "expired": services.documents_expire(on=today),
        "reminded": services.document_reminders_send(on=today),
    }


@shared_task(name="teachers.apply_retention")
def apply_retention() -> dict[str, int]:
    """Delete expired documents' files and carry out deletion requests whose hold has ended."""
    today = timezone.localdate()
    return {
        "files_deleted": services.documents_expired_files_delete(on=today),
        "teachers_erased": services.teachers_erase_due(on=today),
    }

import logging
import smtplib

from celery import shared_task
from django.conf import settings

from . import services

logger = logging.getLogger(__name__)

# Errors worth another try: the mail server or network hiccupped. Anything else is a bug or a
# bad address and is recorded as failed at once.
TRANSIENT_EMAIL_ERRORS = (smtplib.SMTPException, OSError)


@shared_task(
    name="notifications.send_notification_email",
    bind=True,
    max_retries=services.MAX_EMAIL_ATTEMPTS - 1,
    default_retry_delay=30,
)
def send_notification_email(self, notification_id: int) -> str:
    """Email one notification; retry transient failures with backoff, else mark it failed."""
    notification = services.notification_claim_for_email(notification_id=notification_id)
    if notification is None:
        return "already-handled"
    try:
        services.notification_email_send(notification=notification)
    except TRANSIENT_EMAIL_ERRORS as exc:
        final = self.request.retries >= self.max_retries
        services.notification_email_release(
            notification_id=notification_id, error=repr(exc), final=final
        )
        if final:
            return "failed"
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
    except Exception as exc:
        # A template or address bug will not heal by retrying: record it for the center.
        logger.exception("Notification %s email failed", notification_id)
        services.notification_email_release(
            notification_id=notification_id, error=repr(exc), final=True
        )
        return "failed"
    return "sent"


@shared_task(name="notifications.purge_old_notifications")
def purge_old_notifications() -> int:
    """Delete read notifications past the retention period."""
    return services.notifications_purge_old(older_than_days=settings.NOTIFICATION_RETENTION_DAYS)

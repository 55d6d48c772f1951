import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise

from apps.accounts.zones import user_timezone
from apps.core.site import email_subject

from .models import EmailStatus, Notification
from .selectors import notification_get_for_user, unread_count_key

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5


def _render(text: str | Promise, params: Mapping[str, Any]) -> str:
    # Only translatable (lazy) texts carry placeholders: a plain string is what a person typed
    # (a note, an invitation message) and may contain "%" of its own. Formatting the lazy text
    # itself lets an ngettext_lazy title pick its plural form.
    if isinstance(text, Promise) and params:
        return str(text % params)
    return str(text)


def _render_param(value: Any) -> Any:
    # Numbers stay numbers so that plural forms can be chosen by them. A moment in time is
    # written in the active (recipient's) zone and language, and names its zone, because the
    # text is read later, perhaps by someone on the other side of the world from the sender.
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime) and timezone.is_aware(value):
        local = timezone.localtime(value)
        return f"{date_format(local, 'Y-m-d H:i')} ({timezone.get_current_timezone_name()})"
    return str(value)


def _unread_count_changed(user_id: int) -> None:
    key = unread_count_key(user_id)
    cache.delete(key)
    # Another request may cache the old count before this transaction commits.
    transaction.on_commit(lambda: cache.delete(key))


def notify(
    *,
    recipient: Any,
    kind: str,
    title: str | Promise,
    body: str | Promise = "",
    params: Mapping[str, Any] | None = None,
    url: str = "",
) -> Notification:
    """Put a message in the recipient's inbox in their language and queue its email.

    Pass `title`/`body` as gettext_lazy strings with named placeholders and `params`, so each
    recipient reads them in their own language; pass times as aware datetimes, so each reads
    them in their own time zone. The email goes after commit unless the recipient turned
    email notifications off.
    """
    params = params or {}
    language = recipient.language or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(user_timezone(recipient)):
        rendered_params = {key: _render_param(value) for key, value in params.items()}
        notification = Notification.objects.create(
            recipient=recipient,
            kind=kind,
            title=_render(title, rendered_params)[:255],
            body=_render(body, rendered_params),
            url=url,
            language=language,
            email_status=(
                EmailStatus.PENDING if recipient.email_notifications else EmailStatus.SKIPPED
            ),
        )
    _unread_count_changed(recipient.pk)
    if notification.email_status == EmailStatus.PENDING:
        from .tasks import send_notification_email

        send_notification_email.delay_on_commit(notification.pk)
    return notification


def notification_claim_for_email(*, notification_id: int) -> Notification | None:
    """Claim a pending email (pending → sending); None if another run already has it."""
    claimed = Notification.objects.filter(
        pk=notification_id, email_status=EmailStatus.PENDING
    ).update(email_status=EmailStatus.SENDING, email_attempts=F("email_attempts") + 1)
    if not claimed:
        return None
    return Notification.objects.select_related("recipient").get(pk=notification_id)


def notification_email_send(*, notification: Notification) -> None:
    """Send the claimed notification by email in its language and mark it sent."""
    recipient_zone = user_timezone(notification.recipient)
    with translation.override(notification.language), timezone.override(recipient_zone):
        context = {"notification": notification, "site_url": settings.SITE_URL}
        message = render_to_string("notifications/email.txt", context)
        html = render_to_string("notifications/email.html", context)
        subject = email_subject(notification.title)
    send_mail(
        subject,
        message,
        settings.DEFAULT_FROM_EMAIL,
        [notification.recipient.email],
        html_message=html,
    )
    Notification.objects.filter(pk=notification.pk).update(
        email_status=EmailStatus.SENT, emailed_at=timezone.now(), email_error=""
    )


def notification_email_release(*, notification_id: int, error: str, final: bool) -> None:
    """Record a failed attempt: back to pending for a retry, or failed with its reason."""
    Notification.objects.filter(pk=notification_id, email_status=EmailStatus.SENDING).update(
        email_status=EmailStatus.FAILED if final else EmailStatus.PENDING,
        email_error=error[:2000],
    )
    if final:
        logger.error("Notification %s email failed for good: %s", notification_id, error)


def notification_mark_read(*, user: Any, code: Any) -> int:
    """Mark one of the user's notifications read; returns 1, or 0 if already read.

    Raises Http404 for someone else's notification, as if it did not exist.
    """
    notification = notification_get_for_user(user=user, code=code)
    marked = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    _unread_count_changed(user.pk)
    return marked


def notifications_mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of the user read; returns how many."""
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    _unread_count_changed(user.pk)
    return marked


@transaction.atomic
def notifications_purge_old(*, older_than_days: int) -> int:
    """Delete read inbox entries older than the retention period; returns how many."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _per_model = Notification.objects.filter(
        created_at__lt=cutoff, read_at__isnull=False
    ).delete()
    return deleted

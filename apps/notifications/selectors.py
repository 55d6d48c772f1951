from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404

from .models import Notification

# The badge is on every signed-in page; the services that change an inbox drop its count, and
# this bounds a count cached by a request that raced such a change.
UNREAD_COUNT_SECONDS = 2 * 60


def unread_count_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def notification_list(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """Return the user's own inbox, newest first."""
    notifications = Notification.objects.filter(recipient=user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def notification_unread_count(*, user: Any) -> int:
    """Count the user's unread notifications (the navbar badge); cached until the inbox changes."""
    key = unread_count_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_COUNT_SECONDS)
    return count


def notification_get_for_user(*, user: Any, code: Any) -> Notification:
    """Return one of the user's own notifications; Http404 for anyone else's or a gone one."""
    notification = Notification.objects.filter(recipient=user, code=code).first()
    if notification is None:
        raise Http404
    return notification

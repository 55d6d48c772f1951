from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import notification_unread_count


def unread_notifications(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: pages that do not show the navbar badge pay no query.
    return {
        "unread_notification_count": SimpleLazyObject(lambda: notification_unread_count(user=user))
    }

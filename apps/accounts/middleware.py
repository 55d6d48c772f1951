from django.utils import timezone

from .zones import user_timezone


class UserTimezoneMiddleware:
    """Render every page in the reader's time zone (see zones.user_timezone)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # override() restores the previous zone afterwards, so a request never leaves its
        # reader's zone active in the thread (a test client, a reused worker thread).
        with timezone.override(user_timezone(getattr(request, "user", None))):
            return self.get_response(request)

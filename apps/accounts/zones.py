"""The time zone a person reads times in: the one rule for pages, notifications and emails."""

import zoneinfo
from typing import Any

from django.utils import timezone


def user_timezone(user: Any) -> zoneinfo.ZoneInfo:
    """Return the zone the user reads times in: a teacher's own, Asia/Shanghai for everyone else.

    School, bureau and center staff all work in Hangzhou and compare times with each other, so
    they always read the portal's zone (settings.TIME_ZONE); an unknown zone name falls back to it.
    """
    default = timezone.get_default_timezone()
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_teacher:
        return default
    try:
        return zoneinfo.ZoneInfo(user.timezone) if user.timezone else default
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return default

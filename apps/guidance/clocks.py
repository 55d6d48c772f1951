"""Due dates of statutory time limits: pure arithmetic, no database (tested table-driven)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apps.core.dates import add_months, add_working_days

# Offices count hours on Beijing time whatever zone the reader is in.
SHANGHAI = ZoneInfo("Asia/Shanghai")

CALENDAR_DAYS = "days"
WORKING_DAYS = "working_days"
HOURS = "hours"
MONTHS = "months"
BEFORE_EXPIRY = "before_expiry"


@dataclass(frozen=True)
class Due:
    """When a step is due: the last day, and for hour limits the exact moment."""

    on: date
    at: datetime | None = None

    def is_overdue(self, now: datetime) -> bool:
        """Whether the moment `now` (aware) is past the limit."""
        if self.at is not None:
            return now > self.at
        return now.astimezone(SHANGHAI).date() > self.on

    def days_left(self, today: date) -> int:
        return (self.on - today).days


def due_from(*, unit: str, amount: int, anchor: date, anchor_time: time | None = None) -> Due:
    """Return when a limit of `amount` `unit` counted from `anchor` runs out.

    Days count from the day after the event (the day of the event itself is not counted); an
    hour limit starts at the recorded time, or at the start of the day when no time
    was recorded, which is the strictest reading.
    """
    if unit == CALENDAR_DAYS:
        return Due(on=anchor + timedelta(days=amount))
    if unit == WORKING_DAYS:
        return Due(on=add_working_days(anchor, amount))
    if unit == MONTHS:
        return Due(on=add_months(anchor, amount))
    if unit == BEFORE_EXPIRY:
        return Due(on=anchor - timedelta(days=amount))
    if unit == HOURS:
        start = datetime.combine(anchor, anchor_time or time(0, 0), tzinfo=SHANGHAI)
        moment = start + timedelta(hours=amount)
        return Due(on=moment.date(), at=moment)
    raise ValueError(f"Unknown time-limit unit: {unit!r}")

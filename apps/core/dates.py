"""Calendar arithmetic the policy needs (month limits are calendar months)."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta


def add_months(day: date, months: int) -> date:
    """Return the same day `months` calendar months later, clamped to the month's last day."""
    return day + relativedelta(months=months)


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter such as 2026Q3 (evaluation rounds, reports)."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4 or not 1900 <= self.year <= 9999:
            raise ValueError(f"Not a quarter: {self.year}Q{self.number}")

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        """Read "2026Q3" (case-insensitive); raises ValueError for anything else."""
        match = re.fullmatch(r"\s*(\d{4})\s*[Qq]([1-4])\s*", text or "")
        if match is None:
            raise ValueError(f"Not a quarter: {text!r} (expected e.g. 2026Q3)")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> "Quarter":
        """Return the quarter the day falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> "Quarter":
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> "Quarter":
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )


def add_working_days(day: date, days: int) -> date:
    """Return the date `days` working days after `day` (Saturdays and Sundays skipped).

    The day itself does not count: 5 working days from a Friday end on the next Friday.
    """
    current = day
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current

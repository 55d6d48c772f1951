"""Years of teaching experience from dated entries, overlapping periods counted once."""

from collections.abc import Iterable
from datetime import date

DAYS_PER_YEAR = 365.25


def experience_years(periods: Iterable[tuple[date, date | None]], *, on: date) -> float:
    """Return the years covered by the union of (start, end) periods up to `on` (end None = now)."""
    spans = sorted((start, min(end or on, on)) for start, end in periods if start <= on)
    days = 0
    current_start = current_end = None
    for start, end in spans:
        if end < start:
            continue
        if current_end is None or start > current_end:
            if current_end is not None:
                days += (current_end - current_start).days
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        days += (current_end - current_start).days
    return round(days / DAYS_PER_YEAR, 2)

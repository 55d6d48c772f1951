"""Due-date arithmetic, table-driven (units, weekends, hours across midnight in Shanghai)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from apps.guidance.clocks import SHANGHAI, Due, due_from


@pytest.mark.parametrize(
    ("unit", "amount", "anchor", "expected"),
    [
        # calendar days: the event's day is not counted
        ("days", 15, date(2026, 3, 2), date(2026, 3, 17)),
        ("days", 30, date(2026, 3, 2), date(2026, 4, 1)),
        ("days", 10, date(2026, 12, 25), date(2027, 1, 4)),
        # working days skip Saturdays and Sundays
        ("working_days", 1, date(2026, 3, 6), date(2026, 3, 9)),  # Fri → Mon
        ("working_days", 5, date(2026, 3, 6), date(2026, 3, 13)),  # Fri → next Fri
        ("working_days", 1, date(2026, 3, 7), date(2026, 3, 9)),  # Sat → Mon
        ("working_days", 10, date(2027, 2, 28), date(2027, 3, 12)),  # Sun contract end
        ("working_days", 20, date(2026, 3, 2), date(2026, 3, 30)),  # work-permit decision
        # calendar months, clamped to the month's end
        ("months", 12, date(2026, 6, 30), date(2027, 6, 30)),
        ("months", 6, date(2026, 8, 31), date(2027, 2, 28)),
        # renewals: days before the expiry
        ("before_expiry", 30, date(2027, 1, 31), date(2027, 1, 1)),
        ("before_expiry", 30, date(2026, 3, 1), date(2026, 1, 30)),
    ],
)
def test_due_dates_by_unit(unit, amount, anchor, expected):
    due = due_from(unit=unit, amount=amount, anchor=anchor)

    assert due.on == expected
    assert due.at is None


def test_twenty_four_hours_cross_midnight_in_shanghai():
    due = due_from(unit="hours", amount=24, anchor=date(2026, 3, 2), anchor_time=time(23, 30))

    assert due.at == datetime(2026, 3, 3, 23, 30, tzinfo=SHANGHAI)
    assert due.on == date(2026, 3, 3)
    # 23:00 in Shanghai is still in time; 23:45 is late, although both are 3 March in UTC.
    assert not due.is_overdue(datetime(2026, 3, 3, 15, 0, tzinfo=UTC))
    assert due.is_overdue(datetime(2026, 3, 3, 15, 45, tzinfo=UTC))


def test_an_arrival_after_midnight_shanghai_is_counted_from_the_local_day():
    # 00:30 on 3 March in Shanghai is 16:30 on 2 March in UTC: the limit runs to 4 March 00:30.
    due = due_from(unit="hours", amount=24, anchor=date(2026, 3, 3), anchor_time=time(0, 30))

    assert due.at == datetime(2026, 3, 4, 0, 30, tzinfo=SHANGHAI)
    assert due.at.astimezone(UTC) == datetime(2026, 3, 3, 16, 30, tzinfo=UTC)


def test_hours_without_a_recorded_time_count_from_the_start_of_the_day():
    due = due_from(unit="hours", amount=24, anchor=date(2026, 3, 2))

    assert due.at == datetime(2026, 3, 3, 0, 0, tzinfo=SHANGHAI)


def test_a_day_limit_is_overdue_from_the_next_day_in_shanghai():
    due = Due(on=date(2026, 3, 17))
    last_minute = datetime(2026, 3, 17, 23, 59, tzinfo=SHANGHAI)

    assert not due.is_overdue(last_minute)
    assert due.is_overdue(last_minute + timedelta(minutes=2))


def test_an_unknown_unit_is_refused():
    with pytest.raises(ValueError, match="Unknown"):
        due_from(unit="weeks", amount=1, anchor=date(2026, 3, 2))

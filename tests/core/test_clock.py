"""The --clock option that CI uses to run date-sensitive tests on both sides of midnight."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tests.conftest import DATE_SENSITIVE_SOURCE, parse_clock

PLUS_8 = timezone(timedelta(hours=8))


def test_a_time_of_day_means_today_in_that_offset():
    # 20:51 UTC on 3 December is already 4 December in UTC+8.
    now = datetime(2026, 12, 3, 20, 51, tzinfo=UTC)

    assert parse_clock("23:30+08:00", now=now) == datetime(2026, 12, 4, 23, 30, tzinfo=PLUS_8)
    assert parse_clock("00:30+08:00", now=now) == datetime(2026, 12, 3, 16, 30, tzinfo=UTC)


def test_a_full_instant_is_taken_as_is():
    assert parse_clock("2026-12-03T23:30+08:00") == datetime(2026, 12, 3, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize("text", ["23:30", "2026-12-03T23:30", "half past eleven"])
def test_a_clock_without_an_offset_is_refused(text):
    with pytest.raises(ValueError):
        parse_clock(text)


def test_the_clock_is_running_at_the_requested_instant(request):
    moment = request.config.test_clock
    if moment is None:
        pytest.skip("runs only with --clock")
    elapsed = datetime.now(tz=UTC) - moment
    assert timedelta(0) <= elapsed < timedelta(minutes=10)


@pytest.mark.parametrize(
    "source",
    [
        "assert f'{invited_at:%Y-%m-%d}' in page",
        "when = timezone.localdate()",
        "from datetime import date",
        "@time_machine.travel(TODAY)",
    ],
)
def test_modules_using_dates_are_selected_for_the_clock_runs(source):
    assert DATE_SENSITIVE_SOURCE.search(source)

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.core.dates import Quarter
from apps.core.models import AuditEvent
from apps.evaluations.models import Evaluation, EvaluationRound
from apps.evaluations.tasks import open_quarter_round
from tests.schools.factories import SchoolFactory

from .factories import make_employment, open_round

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_quarter_arithmetic():
    q = Quarter.parse("2026q4")
    assert (q.start, q.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert str(q.next()) == "2027Q1" and str(q.previous()) == "2026Q3"
    assert Quarter.containing(date(2027, 3, 31)) == Quarter(2027, 1)
    assert Quarter.parse("2027Q1").previous().end == date(2026, 12, 31)
    with pytest.raises(ValueError):
        Quarter.parse("2026Q5")


def test_one_evaluation_per_employment_active_on_any_day_of_the_quarter(school_a):
    inside = {
        "last day only": make_employment(school_a, start=date(2026, 9, 30)),
        "ended on first day": make_employment(
            school_a, start=date(2025, 9, 1), end=date(2026, 8, 31), ended_on=date(2026, 7, 1)
        ),
        "whole quarter": make_employment(school_a, start=date(2026, 1, 1)),
    }
    outside = {
        "starts after": make_employment(school_a, start=date(2026, 10, 1)),
        "ended before": make_employment(
            school_a, start=date(2025, 9, 1), end=date(2026, 8, 31), ended_on=date(2026, 6, 30)
        ),
    }

    round_ = open_round("2026Q3")

    evaluated = set(Evaluation.objects.filter(round=round_).values_list("employment_id", flat=True))
    assert evaluated == {e.pk for e in inside.values()}
    assert not evaluated & {e.pk for e in outside.values()}
    assert round_.deadline == date(2026, 9, 30) + timedelta(days=31)


def test_a_cluster_contract_gets_one_evaluation_from_each_school(school_a):
    members = [SchoolFactory(), SchoolFactory()]
    employment = make_employment(school_a, members=[(members[0], 4), (members[1], 4)])

    round_ = open_round("2026Q3")

    schools = set(
        Evaluation.objects.filter(round=round_, employment=employment).values_list(
            "school_id", flat=True
        )
    )
    assert schools == {school_a.pk, members[0].pk, members[1].pk}


def test_the_command_is_idempotent_and_tops_up_after_employments_changed(school_a):
    make_employment(school_a)
    out = StringIO()
    call_command("open_evaluation_round", "--quarter", "2026Q3", stdout=out)
    assert "1 evaluations created, 0 already existed" in out.getvalue()

    make_employment(school_a, start=date(2026, 9, 1))  # registered late
    out = StringIO()
    call_command("open_evaluation_round", "--quarter", "2026Q3", stdout=out)
    assert "1 evaluations created, 1 already existed" in out.getvalue()
    out = StringIO()
    call_command("open_evaluation_round", "--quarter", "2026Q3", stdout=out)
    assert "0 evaluations created, 2 already existed" in out.getvalue()
    assert Evaluation.objects.count() == 2
    assert EvaluationRound.objects.count() == 1
    with pytest.raises(CommandError, match="expected e.g. 2026Q3"):
        call_command("open_evaluation_round", "--quarter", "2026-3")


def test_the_beat_entry_fires_at_two_in_the_morning_on_the_first_day_of_a_quarter():
    schedule = settings.CELERY_BEAT_SCHEDULE["evaluations-open-round"]["schedule"]
    assert settings.CELERY_BEAT_SCHEDULE["evaluations-open-round"]["task"] == (
        open_quarter_round.name
    )
    last_run = datetime(2026, 10, 1, 2, 0, tzinfo=SHANGHAI)
    with time_machine.travel(datetime(2027, 1, 1, 1, 59, tzinfo=SHANGHAI), tick=False):
        assert not schedule.is_due(last_run).is_due
    with time_machine.travel(datetime(2027, 1, 1, 2, 0, tzinfo=SHANGHAI), tick=False):
        assert schedule.is_due(last_run).is_due
    with time_machine.travel(datetime(2027, 2, 1, 2, 0, tzinfo=SHANGHAI), tick=False):
        assert not schedule.is_due(datetime(2027, 1, 1, 2, 0, tzinfo=SHANGHAI)).is_due


def test_the_task_opens_the_quarter_that_ended_in_shanghai_and_is_idempotent(school_a):
    make_employment(school_a, start=date(2026, 12, 31))
    # 31 December 23:59 in Shanghai (15:59 UTC): Q4 has not ended yet, so Q3 is the last round.
    with time_machine.travel(datetime(2026, 12, 31, 23, 59, tzinfo=SHANGHAI), tick=False):
        assert open_quarter_round() == 0
    assert list(EvaluationRound.objects.values_list("quarter", flat=True)) == ["2026Q3"]
    # 1 January 02:00 in Shanghai is still 31 December in UTC: the local date decides.
    with time_machine.travel(datetime(2027, 1, 1, 2, 0, tzinfo=SHANGHAI), tick=False):
        assert open_quarter_round() == 1
        assert open_quarter_round() == 0
    round_ = EvaluationRound.objects.get(quarter="2026Q4")
    assert Evaluation.objects.filter(round=round_).count() == 1
    assert round_.deadline == date(2027, 1, 31)
    assert AuditEvent.objects.filter(action="evaluations.round.opened").count() == 2

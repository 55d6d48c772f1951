"""Round deadlines, late openings and the command's refusal of quarters still running."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from apps.core.selectors import policy_settings_get
from apps.evaluations.models import EvaluationReminder, EvaluationRound, ReminderKind
from apps.evaluations.services import evaluation_reminders_send
from apps.notifications.models import Notification

from .factories import evaluation_for, make_employment, open_round


@pytest.mark.parametrize(
    ("quarter", "deadline"),
    [
        ("2026Q1", date(2026, 4, 30)),  # not 1 May: quarter end + 31 days overshoots April
        ("2026Q2", date(2026, 7, 31)),
        ("2026Q3", date(2026, 10, 31)),
        ("2026Q4", date(2027, 1, 31)),
    ],
)
@time_machine.travel(date(2027, 3, 1))
def test_the_deadline_is_the_end_of_the_first_month_of_the_next_quarter(db, quarter, deadline):
    assert open_round(quarter).deadline == deadline


@time_machine.travel(date(2027, 3, 1))
def test_the_policy_can_extend_the_deadline_by_some_days(db):
    policy = policy_settings_get()
    policy.evaluation_deadline_days = 5
    policy.save()
    assert open_round("2026Q1").deadline == date(2026, 5, 5)


def test_a_round_opened_inside_the_reminder_window_still_sends_its_opening_notice(
    employment_a, liaison_a, teacher_x
):
    liaison_a.language = "en"
    liaison_a.save()
    # Opened late, on 25 October: only six days before the 31 October deadline.
    with time_machine.travel(date(2026, 10, 25)):
        evaluation_for(employment_a)
        assert evaluation_reminders_send(today=date(2026, 10, 25)) == 3
        assert evaluation_reminders_send(today=date(2026, 10, 25)) == 0
    teacher_titles = Notification.objects.filter(recipient=teacher_x.user).values_list(
        "title", flat=True
    )
    assert [title for title in teacher_titles if "satisfied" in title]  # survey invitation
    kinds = set(
        EvaluationReminder.objects.filter(recipient=liaison_a).values_list("kind", flat=True)
    )
    assert kinds == {ReminderKind.OPENED, ReminderKind.BEFORE_DEADLINE}
    assert Notification.objects.filter(recipient=liaison_a).count() == 2


@pytest.mark.parametrize("quarter", ["2026Q4", "2027Q1"])
def test_the_command_refuses_a_quarter_that_has_not_ended(db, school_a, quarter):
    make_employment(school_a, start=date(2026, 10, 1))
    with (
        time_machine.travel(date(2026, 12, 31)),
        pytest.raises(CommandError, match=f"{quarter} has not ended yet"),
    ):
        call_command("open_evaluation_round", "--quarter", quarter, stdout=StringIO())
    assert not EvaluationRound.objects.exists()


def test_the_command_opens_a_quarter_the_day_after_it_ended(db, school_a):
    make_employment(school_a, start=date(2026, 10, 1))
    out = StringIO()
    with time_machine.travel(date(2027, 1, 1)):
        call_command("open_evaluation_round", "--quarter", "2026Q4", stdout=out)
    assert "1 evaluations created" in out.getvalue()

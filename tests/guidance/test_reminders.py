"""Reminders before due dates: daily job under frozen time, once each, in the reader's terms."""

from datetime import date, datetime, time

import time_machine

from apps.guidance.models import ChecklistReminder
from apps.guidance.services import checklists_remind_due
from apps.guidance.tasks import remind_due_steps
from apps.notifications.models import Notification

from .conftest import SHANGHAI, arrive


def test_reminders_go_out_at_each_threshold_once(employment_a, liaison_a, teacher_x):
    with time_machine.travel(datetime(2026, 3, 3, 9, 0, tzinfo=SHANGHAI), tick=False):
        arrive(employment_a, liaison_a, at=time(8, 0))
    # 25 March: the residence permit (due 1 April) is 7 days away.
    with time_machine.travel(datetime(2026, 3, 25, 7, 0, tzinfo=SHANGHAI), tick=False):
        first = remind_due_steps()
        again = remind_due_steps()

    assert first >= 1
    assert again == 0
    reminders = ChecklistReminder.objects.filter(procedure__slug="residence-permit")
    assert list(reminders.values_list("due_on", "days_before")) == [(date(2026, 4, 1), 7)]
    teacher_note = Notification.objects.get(
        recipient=teacher_x.user, title__contains="Work-type residence permit"
    )
    assert teacher_note.title == (
        "Emma Clarke: “Work-type residence permit” is due by 2026-04-01 (7 days left)"
    )
    assert teacher_note.url.endswith(f"/guidance/hire/{employment_a.code}/")
    # The school's liaison reads it in Chinese, with the procedure's Chinese title.
    school_note = Notification.objects.get(recipient=liaison_a, title__contains="工作类居留许可")
    assert "2026-04-01" in school_note.title

    with time_machine.travel(datetime(2026, 3, 31, 7, 0, tzinfo=SHANGHAI), tick=False):
        assert checklists_remind_due() >= 1
    assert set(reminders.values_list("days_before", flat=True)) == {7, 1}


def test_an_hour_limit_is_reminded_in_the_teachers_own_time_zone(
    employment_a, liaison_a, teacher_x
):
    teacher_x.user.timezone = "Europe/London"
    teacher_x.user.save()
    arrival = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(arrival, tick=False):
        arrive(employment_a, liaison_a, on=date(2026, 3, 2), at=time(9, 0))
        checklists_remind_due()

    note = Notification.objects.get(
        recipient=teacher_x.user, title__contains="Accommodation registration"
    )
    # Due 3 March 09:00 in Shanghai, which is 01:00 in London.
    assert note.title == (
        "Emma Clarke: “Accommodation registration” is due by 2026-03-03 01:00 (Europe/London)"
    )


def test_done_and_overdue_steps_are_not_reminded(employment_a, liaison_a):
    with time_machine.travel(datetime(2026, 3, 3, 9, 0, tzinfo=SHANGHAI), tick=False):
        arrive(employment_a, liaison_a, at=time(8, 0))
    # 17 March: the work-permit card is due today, accommodation long overdue.
    with time_machine.travel(datetime(2026, 3, 17, 7, 0, tzinfo=SHANGHAI), tick=False):
        checklists_remind_due()

    sent = set(ChecklistReminder.objects.values_list("procedure__slug", flat=True))
    assert "work-permit-card" in sent
    assert "accommodation-registration" not in sent
    assert "z-visa" not in sent  # closed by the arrival

from datetime import date

import time_machine
from django.urls import reverse

from apps.evaluations.models import EvaluationReminder
from apps.evaluations.selectors.evaluations import evaluations_late, evaluations_late_count
from apps.evaluations.services import evaluation_reminders_send
from apps.notifications.models import Notification

from .factories import evaluation_for, submitted

# 2026Q3 ends 30 September; the deadline is 31 October.


def _titles(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_reminders_at_opening_before_and_on_the_deadline_each_once(
    employment_a, liaison_a, teacher_x
):
    liaison_a.language = "en"
    liaison_a.save()
    evaluation_for(employment_a)
    with time_machine.travel(date(2026, 10, 1)):
        assert evaluation_reminders_send(today=date(2026, 10, 1)) == 2  # school and teacher
        assert evaluation_reminders_send(today=date(2026, 10, 2)) == 0
    assert _titles(liaison_a) == ["1 foreign-teacher evaluation for 2026Q3 is due by 2026-10-31"]
    assert "satisfied" in _titles(teacher_x.user)[0]

    assert evaluation_reminders_send(today=date(2026, 10, 16)) == 0  # 15 days before
    assert evaluation_reminders_send(today=date(2026, 10, 17)) == 1  # 14 days before
    assert evaluation_reminders_send(today=date(2026, 10, 20)) == 0
    assert evaluation_reminders_send(today=date(2026, 10, 31)) == 1
    assert evaluation_reminders_send(today=date(2026, 10, 31)) == 0
    assert evaluation_reminders_send(today=date(2026, 11, 1)) == 0
    assert _titles(liaison_a)[0] == ("Today is the deadline: 1 evaluation for 2026Q3 is still open")
    assert EvaluationReminder.objects.filter(recipient=liaison_a).count() == 3


def test_reminders_are_in_each_recipients_language(employment_a, liaison_a):
    evaluation_for(employment_a)
    evaluation_reminders_send(today=date(2026, 10, 1))
    assert _titles(liaison_a) == ["2026Q3 有 1 份外籍教师考核须在 2026-10-31 前完成"]


def test_a_school_with_nothing_open_is_not_reminded(employment_a, liaison_a):
    submitted(evaluation_for(employment_a), liaison_a)
    # First sight of the round: only the teacher's survey invitation goes out.
    assert evaluation_reminders_send(today=date(2026, 10, 17)) == 1
    assert not _titles(liaison_a)


def test_an_open_evaluation_is_late_after_the_deadline(employment_a, employment_b, liaison_a):
    late = evaluation_for(employment_b)
    submitted(evaluation_for(employment_a), liaison_a)

    assert evaluations_late_count(today=date(2026, 10, 31)) == 0
    assert list(evaluations_late(today=date(2026, 11, 1))) == [late]
    assert late.is_late_on(date(2026, 11, 1)) and not late.is_late_on(date(2026, 10, 31))


@time_machine.travel(date(2026, 11, 2))
def test_late_evaluations_appear_in_the_center_work_queue(client, center_user, employment_b):
    evaluation_for(employment_b)
    client.force_login(center_user)
    response = client.get(reverse("dashboards:center"))
    counts = {queue["key"]: queue["count"] for queue in response.context["queues"]}
    assert counts["evaluations_late"] == 1
    assert reverse("evaluations:center_late") in response.content.decode()


def test_opening_a_round_reminds_the_school_after_commit(
    employment_a, liaison_a, django_capture_on_commit_callbacks
):
    from apps.core.dates import Quarter
    from apps.evaluations.services import evaluation_round_open

    with time_machine.travel(date(2026, 10, 1)):
        with django_capture_on_commit_callbacks(execute=True):
            evaluation_round_open(quarter=Quarter(2026, 3))
        with django_capture_on_commit_callbacks(execute=True):
            evaluation_round_open(quarter=Quarter(2026, 3))  # nothing new: no reminder queued
    assert len(_titles(liaison_a)) == 1

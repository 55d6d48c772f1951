from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from apps.notifications.models import Notification
from apps.teachers.models import DocumentKind, DocumentReminder, DocumentStatus
from apps.teachers.tasks import expire_documents_and_remind
from tests.teachers.factories import TeacherFactory, add_document

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 6, 15, tzinfo=SHANGHAI), tick=False
    )


def test_expired_documents_are_marked_once():
    teacher = TeacherFactory()
    old = add_document(teacher, DocumentKind.PASSPORT, expires_on=date(2026, 3, 1))
    fresh = add_document(teacher, DocumentKind.DEGREE, expires_on=date(2026, 3, 3))
    with at(date(2026, 3, 2)):
        assert expire_documents_and_remind()["expired"] == 1
        assert expire_documents_and_remind()["expired"] == 0
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (DocumentStatus.EXPIRED, DocumentStatus.VERIFIED)


def test_reminders_60_30_7_days_before_each_once(teacher_user):
    teacher = TeacherFactory(user=teacher_user)
    expiry = date(2026, 9, 30)
    add_document(teacher, DocumentKind.PASSPORT, expires_on=expiry)
    add_document(teacher, DocumentKind.CV)  # CVs do not expire
    sent = []
    for days_before in range(70, 0, -1):
        with at(expiry - timedelta(days=days_before)):
            if expire_documents_and_remind()["reminded"]:
                sent.append(days_before)
            # Running twice on the same day sends nothing new.
            assert expire_documents_and_remind()["reminded"] == 0
    assert sent == [60, 30, 7]
    assert set(DocumentReminder.objects.values_list("days_before", flat=True)) == {60, 30, 7}
    titles = list(
        Notification.objects.filter(recipient=teacher_user).values_list("title", flat=True)
    )
    assert titles == [
        "Your Passport expires in 7 days",
        "Your Passport expires in 30 days",
        "Your Passport expires in 60 days",
    ]


def test_a_late_first_run_sends_only_the_nearest_reminder(teacher_user):
    teacher = TeacherFactory(user=teacher_user)
    add_document(teacher, DocumentKind.TEACHING_CERTIFICATE, expires_on=date(2026, 5, 10))
    with at(date(2026, 5, 5)):
        assert expire_documents_and_remind()["reminded"] == 1
    assert list(DocumentReminder.objects.values_list("days_before", flat=True)) == [7]


def test_reminder_in_the_teachers_language():
    from tests.accounts.factories import TeacherUserFactory

    user = TeacherUserFactory(language="zh-hans")
    teacher = TeacherFactory(user=user)
    add_document(teacher, DocumentKind.PASSPORT, expires_on=date(2026, 5, 10))
    with at(date(2026, 5, 3)):
        expire_documents_and_remind()
    notification = Notification.objects.get(recipient=user)
    assert notification.language == "zh-hans"


def test_task_is_in_the_beat_schedule():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "teachers.expire_documents_and_remind" in tasks

"""A time inside a notification is written in the recipient's zone, whoever sent it."""

from datetime import UTC, datetime

from django.core import mail

from apps.applications.services.interviews import INTERVIEW_REMINDER
from apps.notifications.services import notify
from tests.accounts.factories import SchoolStaffUserFactory, TeacherUserFactory

# 09:00 on 5 December in Shanghai; 20:00 on 4 December in New York.
INTERVIEW_AT = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)


def _remind(recipient):
    return notify(
        recipient=recipient,
        kind="application",
        title=INTERVIEW_REMINDER,
        params={"vacancy": "Grade 3 English", "time": INTERVIEW_AT},
    )


def test_a_teacher_in_new_york_reads_the_interview_time_in_new_york(db):
    teacher = TeacherUserFactory(timezone="America/New_York")

    notification = _remind(teacher)

    assert notification.title == (
        "Interview tomorrow for Grade 3 English: 2026-12-04 20:00 (America/New_York)"
    )


def test_the_school_reads_the_same_interview_in_shanghai_time(db):
    liaison = SchoolStaffUserFactory(language="en", timezone="America/New_York")

    notification = _remind(liaison)

    assert notification.title == (
        "Interview tomorrow for Grade 3 English: 2026-12-05 09:00 (Asia/Shanghai)"
    )


def test_the_email_carries_the_recipients_time_and_a_translated_prefix(
    db, django_capture_on_commit_callbacks
):
    teacher = TeacherUserFactory(timezone="Europe/London", language="zh-hans")

    with django_capture_on_commit_callbacks(execute=True):
        _remind(teacher)

    assert len(mail.outbox) == 1
    subject = mail.outbox[0].subject
    assert subject.startswith("[杭州外教服务网] ")
    assert "2026-12-05 01:00 (Europe/London)" in subject
    assert "2026-12-05 01:00 (Europe/London)" in mail.outbox[0].body

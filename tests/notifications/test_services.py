import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.utils.translation import gettext_lazy as _

from apps.notifications.models import EmailStatus, Notification
from apps.notifications.services import notify
from apps.notifications.tasks import send_notification_email

TITLE = _("Your school %(school)s was verified")


def test_notification_is_rendered_and_emailed_in_the_recipients_language(
    school_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=school_user,
            kind="school.verified",
            title=_("Your preferences were saved."),
            url="/zh-hans/dashboard/",
        )

    notification.refresh_from_db()
    assert notification.language == "zh-hans"
    assert notification.title == "您的偏好设置已保存。"
    assert notification.email_status == EmailStatus.SENT
    assert len(mail.outbox) == 1
    assert "您的偏好设置已保存。" in mail.outbox[0].subject
    assert "http://127.0.0.1:8000/zh-hans/dashboard/" in mail.outbox[0].body


def test_named_placeholders_are_filled(teacher_user):
    notification = notify(
        recipient=teacher_user, kind="test", title=TITLE, params={"school": "Hangzhou No. 2 HS"}
    )

    assert notification.title == "Your school Hangzhou No. 2 HS was verified"


def test_typed_text_with_percent_signs_is_kept_as_typed(teacher_user):
    # A school's invitation or a rejection note is not a template: "100%" must not break it.
    notification = notify(
        recipient=teacher_user,
        kind="test",
        title=TITLE,
        body="We teach 100% in English; 10%",
        params={"school": "Hangzhou No. 2 HS"},
    )

    assert notification.title == "Your school Hangzhou No. 2 HS was verified"
    assert notification.body == "We teach 100% in English; 10%"


def test_no_email_when_the_user_turned_emails_off(teacher_user, django_capture_on_commit_callbacks):
    teacher_user.email_notifications = False
    teacher_user.save()

    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=teacher_user, kind="test", title=TITLE, params={"school": "X"}
        )

    assert notification.email_status == EmailStatus.SKIPPED
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=teacher_user).count() == 1


def test_email_is_queued_only_after_commit(teacher_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipient=teacher_user, kind="test", title=TITLE, params={"school": "X"})

    assert mail.outbox == []
    for callback in callbacks:  # the commit
        callback()
    assert len(mail.outbox) == 1


@pytest.fixture
def eager_retries():
    """Let eager tasks retry in-process as the embedded default does (no propagation)."""
    from hangzhou_waijiao.celery import app

    saved = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = saved


def _notify_and_run_task(user, capture):
    with capture(execute=True):
        return notify(recipient=user, kind="test", title=TITLE, params={"school": "X"})


def test_transient_smtp_failure_is_retried_until_sent(
    teacher_user, django_capture_on_commit_callbacks, eager_retries
):
    real_send = mail.send_mail
    failures = iter([smtplib.SMTPServerDisconnected("gone"), ConnectionRefusedError("refused")])

    def flaky_send(*args, **kwargs):
        error = next(failures, None)
        if error:
            raise error
        return real_send(*args, **kwargs)

    with mock.patch("apps.notifications.services.send_mail", side_effect=flaky_send):
        notification = _notify_and_run_task(teacher_user, django_capture_on_commit_callbacks)

    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert notification.email_attempts == 3
    assert len(mail.outbox) == 1


def test_email_that_keeps_failing_is_marked_failed_with_its_reason(
    teacher_user, django_capture_on_commit_callbacks, eager_retries
):
    with mock.patch(
        "apps.notifications.services.send_mail", side_effect=smtplib.SMTPServerDisconnected("gone")
    ):
        notification = _notify_and_run_task(teacher_user, django_capture_on_commit_callbacks)

    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.FAILED
    assert "gone" in notification.email_error
    assert notification.email_attempts == send_notification_email.max_retries + 1


def test_a_non_transient_error_fails_at_once_without_breaking_the_caller(
    teacher_user, django_capture_on_commit_callbacks
):
    with mock.patch("apps.notifications.services.send_mail", side_effect=ValueError("bad header")):
        with django_capture_on_commit_callbacks(execute=True):
            notification = notify(
                recipient=teacher_user, kind="test", title=TITLE, params={"school": "X"}
            )

    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.FAILED
    assert notification.email_attempts == 1


def test_sending_twice_sends_one_email(teacher_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=teacher_user, kind="test", title=TITLE, params={"school": "X"}
        )

    assert send_notification_email.apply(args=[notification.pk]).get() == "already-handled"
    assert len(mail.outbox) == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_email(celery_live_worker):
    import time

    from tests.accounts.factories import TeacherUserFactory

    user = TeacherUserFactory()
    notification = notify(recipient=user, kind="test", title=TITLE, params={"school": "X"})

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.email_status == EmailStatus.SENT:
            break
        time.sleep(0.1)
    assert notification.email_status == EmailStatus.SENT
    assert [m.to for m in mail.outbox] == [[user.email]]

"""Every time a person reads is in their zone: a teacher's own, Asia/Shanghai for staff."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from apps.accounts.zones import user_timezone
from apps.notifications.models import Notification
from tests.accounts.factories import (
    BureauViewerUserFactory,
    SchoolStaffUserFactory,
    TeacherUserFactory,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 02:58 on 4 December in Shanghai, 13:58 on 3 December in New York.
SENT_AT = datetime(2026, 12, 3, 18, 58, tzinfo=UTC)


def _notification_at(user, when=SENT_AT) -> Notification:
    notification = Notification.objects.create(
        recipient=user, kind="test", title="Your documents were checked", language=user.language
    )
    Notification.objects.filter(pk=notification.pk).update(created_at=when)
    return notification


def _inbox_time(client, user) -> str:
    client.force_login(user)
    page = client.get(reverse("notifications:inbox")).content.decode()
    marker = '<time class="small text-body-secondary" datetime="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_a_teacher_reads_times_in_her_own_zone():
    teacher = TeacherUserFactory(timezone="America/New_York")

    assert user_timezone(teacher) == ZoneInfo("America/New_York")


@pytest.mark.parametrize("factory", [SchoolStaffUserFactory, BureauViewerUserFactory])
def test_staff_read_shanghai_time_whatever_their_zone_field_says(factory):
    staff = factory(timezone="Europe/London")

    assert user_timezone(staff) == SHANGHAI


def test_anonymous_and_unknown_zones_read_shanghai_time():
    teacher = TeacherUserFactory()
    teacher.timezone = "Mars/Olympus"

    assert user_timezone(AnonymousUser()) == SHANGHAI
    assert user_timezone(None) == SHANGHAI
    assert user_timezone(teacher) == SHANGHAI


def test_teachers_inbox_shows_the_time_in_new_york(client):
    teacher = TeacherUserFactory(timezone="America/New_York")
    _notification_at(teacher)

    assert _inbox_time(client, teacher) == "2026-12-03T13:58:00-05:00"


def test_school_staff_inbox_shows_shanghai_time_even_with_another_zone_stored(client):
    liaison = SchoolStaffUserFactory(timezone="Europe/London", language="en")
    _notification_at(liaison)

    assert _inbox_time(client, liaison) == "2026-12-04T02:58:00+08:00"


def test_center_staff_read_shanghai_time(center_user):
    center_user.timezone = "America/New_York"
    center_user.save(update_fields=["timezone"])

    assert user_timezone(center_user) == SHANGHAI


def test_a_request_does_not_leave_the_readers_zone_active(client):
    teacher = TeacherUserFactory(timezone="America/New_York")
    client.force_login(teacher)

    client.get(reverse("notifications:inbox"))

    # The next request, task or test in this thread is back on the portal's zone.
    assert timezone.get_current_timezone_name() == "Asia/Shanghai"


def test_the_zone_chosen_on_the_teacher_profile_is_the_accounts_zone(teacher_user):
    from apps.teachers.services.profile import teacher_profile_ensure, teacher_update

    teacher = teacher_profile_ensure(user=teacher_user)

    teacher_update(actor=teacher_user, teacher=teacher, values={"timezone": "Europe/London"})

    teacher_user.refresh_from_db()
    assert teacher_user.timezone == "Europe/London"
    assert user_timezone(teacher_user) == ZoneInfo("Europe/London")

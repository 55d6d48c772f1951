"""Interview times and reminders follow the zone on the teacher's account."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from apps.applications import services
from apps.notifications.models import Notification
from apps.teachers.forms import PersonalForm
from apps.teachers.models import Teacher

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 07:00 on 24 November in Shanghai is 23:00 on 23 November in London.
INTERVIEW_AT = datetime(2026, 11, 24, 7, tzinfo=SHANGHAI)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_21_november():
    with time_machine.travel(datetime(2026, 11, 21, 10, tzinfo=SHANGHAI), tick=False):
        yield


def _interview(vacancy, teacher, liaison):
    application = services.application_apply(actor=teacher.user, vacancy=vacancy)
    services.application_shortlist(actor=liaison, application=application)
    (slot,) = services.interview_propose(
        actor=liaison,
        application=application,
        slots=[services.SlotProposal(INTERVIEW_AT, "on_site", "Room 3")],
    )
    services.interview_choose(actor=teacher.user, slot=slot)
    return application


def _in_london(client, teacher):
    client.force_login(teacher.user)
    response = client.post(
        reverse("accounts:preferences"),
        {"full_name": "Emma", "language": "en", "timezone": "Europe/London"},
    )
    assert response.status_code == 302


def test_a_zone_chosen_on_the_preferences_page_shows_on_the_application(
    client, vacancy, teacher, liaison_a
):
    application = _interview(vacancy, teacher, liaison_a)
    _in_london(client, teacher)

    page = client.get(reverse("applications:teacher_detail", args=[application.code]))

    html = page.content.decode()
    assert "<strong>2026-11-23 23:00</strong> (Europe/London)" in html


def test_the_profile_form_offers_the_accounts_zone(client, teacher):
    _in_london(client, teacher)

    form = PersonalForm(instance=Teacher.objects.get(pk=teacher.pk))

    assert form.initial["timezone"] == "Europe/London"


def _told(*users):
    return tuple(Notification.objects.filter(recipient=user).count() for user in users)


def test_each_side_is_reminded_on_the_eve_in_its_own_zone(client, vacancy, teacher, liaison_a):
    _interview(vacancy, teacher, liaison_a)
    _in_london(client, teacher)
    teacher_before, school_before = _told(teacher.user, liaison_a)

    # 09:00 on 22 Nov in Shanghai is 01:00 on 22 Nov in London: the London teacher's eve.
    assert services.interviews_remind(now=datetime(2026, 11, 22, 9, tzinfo=SHANGHAI)) == 1
    assert _told(teacher.user, liaison_a) == (teacher_before + 1, school_before)
    reminder = Notification.objects.filter(recipient=teacher.user).latest("pk")
    assert reminder.title.startswith("Interview tomorrow")
    assert "2026-11-23 23:00 (Europe/London)" in reminder.title

    # 09:00 on 23 Nov: the school's eve; in London the interview is today, no second reminder.
    assert services.interviews_remind(now=datetime(2026, 11, 23, 9, tzinfo=SHANGHAI)) == 1
    assert _told(teacher.user, liaison_a) == (teacher_before + 1, school_before + 1)

    assert services.interviews_remind(now=datetime(2026, 11, 23, 9, tzinfo=SHANGHAI)) == 0

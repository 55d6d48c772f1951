"""Rules the pages hide a button for, enforced again by the services."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.applications import services
from apps.applications.models import ApplicationStatus, InterviewSlot, RejectionReason
from tests.applications.factories import accepted_application

S = ApplicationStatus
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _shortlisted(vacancy, teacher, school_user):
    application = services.application_apply(actor=teacher.user, vacancy=vacancy)
    return services.application_shortlist(actor=school_user, application=application)


def test_a_closed_application_cannot_be_ranked(vacancy, teacher, liaison_a):
    application = services.application_apply(actor=teacher.user, vacancy=vacancy)
    services.application_withdraw(actor=teacher.user, application=application)

    for actor in (liaison_a, teacher.user):
        with pytest.raises(ValidationError, match="closed"):
            services.application_rank(actor=actor, application=application, rank=1)
    application.refresh_from_db()
    assert (application.teacher_rank, application.school_rank) == (None, None)


def test_an_open_application_can_still_be_ranked(vacancy, teacher, liaison_a):
    application = services.application_apply(actor=teacher.user, vacancy=vacancy)

    services.application_rank(actor=liaison_a, application=application, rank=2)

    application.refresh_from_db()
    assert application.school_rank == 2


def test_the_school_cannot_reject_an_accepted_offer(vacancy, liaison_a):
    application = accepted_application(vacancy)

    with pytest.raises(ValidationError, match="accepted your offer"):
        services.application_reject(
            actor=liaison_a, application=application, reason=RejectionReason.OTHER
        )
    application.refresh_from_db()
    assert application.status == S.ACCEPTED


def test_closing_the_vacancy_still_closes_an_accepted_application(vacancy, liaison_a):
    application = accepted_application(vacancy)

    services.applications_close_for_vacancy(
        actor=None, vacancy=vacancy, reason=RejectionReason.VACANCY_CLOSED
    )

    application.refresh_from_db()
    assert application.status == S.REJECTED


@time_machine.travel(datetime(2026, 11, 21, 10, tzinfo=SHANGHAI), tick=False)
@pytest.mark.parametrize("location", ["javascript:alert(1)", "Room 3", " data:text/html,x"])
def test_a_video_interview_needs_a_web_link(vacancy, teacher, liaison_a, location):
    application = _shortlisted(vacancy, teacher, liaison_a)
    when = datetime(2026, 11, 23, 15, tzinfo=SHANGHAI)

    with pytest.raises(ValidationError, match="give the link") as error:
        services.interview_propose(
            actor=liaison_a,
            application=application,
            slots=[services.SlotProposal(when, "video", location)],
        )
    assert "location" in error.value.message_dict
    assert not InterviewSlot.objects.filter(application=application).exists()


@time_machine.travel(datetime(2026, 11, 21, 10, tzinfo=SHANGHAI), tick=False)
def test_the_interview_form_shows_the_link_rule_on_the_location_field(
    client, vacancy, teacher, liaison_a
):
    application = _shortlisted(vacancy, teacher, liaison_a)
    client.force_login(liaison_a)
    when = (datetime(2026, 11, 21, 10) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(
        reverse("applications:interview", args=[application.code]),
        {
            "mode": "video",
            "location": "javascript:alert(1)",
            "duration_minutes": 30,
            "slot_1": when,
        },
    )

    assert response.status_code == 400
    assert response.context["interview_form"].errors["location"] == [
        "For a video call, give the link (https://…)."
    ]
    assert not InterviewSlot.objects.filter(application=application).exists()


def test_an_on_site_interview_takes_any_address(vacancy, teacher, liaison_a):
    application = _shortlisted(vacancy, teacher, liaison_a)
    when = datetime.now(tz=SHANGHAI) + timedelta(days=2)

    slots = services.interview_propose(
        actor=liaison_a,
        application=application,
        slots=[services.SlotProposal(when, "on_site", "Room 3")],
    )

    assert [slot.location for slot in slots] == ["Room 3"]

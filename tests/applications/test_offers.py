from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from apps.applications import services
from apps.applications.models import ApplicationStatus, OfferStatus
from apps.core.selectors import policy_settings_get
from apps.notifications.models import Notification
from tests.applications.factories import english_vacancy, offer_terms
from tests.teachers.factories import make_eligible_teacher

S = ApplicationStatus
SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 21)


def _shortlisted(vacancy, teacher, school_user):
    application = services.application_apply(actor=teacher.user, vacancy=vacancy)
    return services.application_shortlist(actor=school_user, application=application)


@time_machine.travel(datetime(2026, 11, 21, 10, tzinfo=SHANGHAI), tick=False)
def test_offer_copies_terms_and_the_teacher_accepts(vacancy, teacher, liaison_a):
    application = _shortlisted(vacancy, teacher, liaison_a)

    offer = services.offer_make(actor=liaison_a, application=application, terms=offer_terms())
    services.offer_accept(actor=teacher.user, application=application)

    offer.refresh_from_db()
    application.refresh_from_db()
    assert (offer.status, application.status) == (OfferStatus.ACCEPTED, S.ACCEPTED)
    assert offer.salary == 18000


@time_machine.travel(datetime(2026, 11, 21, 10, tzinfo=SHANGHAI), tick=False)
def test_a_reply_after_reply_by_is_refused_and_the_offer_lapses(vacancy, teacher, liaison_a):
    application = _shortlisted(vacancy, teacher, liaison_a)
    services.offer_make(actor=liaison_a, application=application, terms=offer_terms(reply_by=TODAY))

    told_before = Notification.objects.filter(recipient=liaison_a).count()
    with time_machine.travel(datetime(2026, 11, 22, 10, tzinfo=SHANGHAI), tick=False):
        with pytest.raises(ValidationError, match="expired"):
            services.offer_accept(actor=teacher.user, application=application)
        assert services.offers_lapse(today=date(2026, 11, 22)) == 1
        assert services.offers_lapse(today=date(2026, 11, 22)) == 0

    application.refresh_from_db()
    assert application.status == S.DECLINED
    assert application.offer.status == OfferStatus.LAPSED
    assert Notification.objects.filter(recipient=liaison_a).count() == told_before + 1


@time_machine.travel(datetime(2026, 11, 21, 10, tzinfo=SHANGHAI), tick=False)
def test_a_teacher_holds_one_accepted_offer_at_a_time(school_a, liaison_a, teacher):
    first = _shortlisted(english_vacancy(school=school_a), teacher, liaison_a)
    second = _shortlisted(english_vacancy(school=school_a), teacher, liaison_a)
    for application in (first, second):
        services.offer_make(actor=liaison_a, application=application, terms=offer_terms())

    services.offer_accept(actor=teacher.user, application=first)
    with pytest.raises(ValidationError, match="Holds an accepted offer for another post"):
        services.offer_accept(actor=teacher.user, application=second)

    second.refresh_from_db()
    assert second.status == S.OFFERED


def test_an_offer_needs_a_shortlisted_applicant(vacancy, teacher, liaison_a):
    application = services.application_apply(actor=teacher.user, vacancy=vacancy)

    with pytest.raises(ValidationError, match="Shortlist"):
        services.offer_make(actor=liaison_a, application=application, terms=offer_terms())


def test_an_offer_with_reply_by_in_the_past_is_refused(vacancy, teacher, liaison_a):
    application = _shortlisted(vacancy, teacher, liaison_a)

    with pytest.raises(ValidationError):
        services.offer_make(
            actor=liaison_a,
            application=application,
            terms=offer_terms(reply_by=date(2020, 1, 1)),
        )
    application.refresh_from_db()
    assert application.status == S.SHORTLISTED


def test_decline_tells_the_school(vacancy, teacher, liaison_a):
    application = _shortlisted(vacancy, teacher, liaison_a)
    services.offer_make(actor=liaison_a, application=application, terms=offer_terms())

    told_before = Notification.objects.filter(recipient=liaison_a).count()

    services.offer_decline(actor=teacher.user, application=application)

    application.refresh_from_db()
    assert application.status == S.DECLINED
    assert Notification.objects.filter(recipient=liaison_a).count() == told_before + 1


@time_machine.travel(datetime(2026, 11, 21, 10, tzinfo=SHANGHAI), tick=False)
def test_interview_slots_are_proposed_chosen_and_reminded_once(vacancy, teacher, liaison_a):
    application = _shortlisted(vacancy, teacher, liaison_a)
    slot_time = datetime(2026, 11, 23, 15, tzinfo=SHANGHAI)
    slots = services.interview_propose(
        actor=liaison_a,
        application=application,
        slots=[
            services.SlotProposal(slot_time, "video", "https://meet.example.org/x"),
            services.SlotProposal(slot_time + timedelta(days=1), "on_site", "Room 3"),
        ],
    )
    application.refresh_from_db()
    assert application.status == S.INTERVIEW

    services.interview_choose(actor=teacher.user, slot=slots[0])

    assert services.interviews_remind(now=datetime(2026, 11, 21, 9, tzinfo=SHANGHAI)) == 0
    assert services.interviews_remind(now=datetime(2026, 11, 22, 9, tzinfo=SHANGHAI)) == 1
    assert services.interviews_remind(now=datetime(2026, 11, 22, 9, tzinfo=SHANGHAI)) == 0
    assert Notification.objects.filter(recipient=teacher.user, title__contains="tomorrow")


@time_machine.travel(datetime(2026, 11, 21, 10, tzinfo=SHANGHAI), tick=False)
def test_interview_times_in_the_past_are_refused(vacancy, teacher, liaison_a):
    application = _shortlisted(vacancy, teacher, liaison_a)

    with pytest.raises(ValidationError, match="future"):
        services.interview_propose(
            actor=liaison_a,
            application=application,
            slots=[services.SlotProposal(datetime(2026, 11, 20, tzinfo=SHANGHAI), "on_site", "x")],
        )


def test_idle_applications_nudge_the_school_then_the_center_once(vacancy, liaison_a, center_user):
    policy = policy_settings_get()
    start = datetime(2026, 11, 1, 9, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False):
        application = services.application_apply(
            actor=make_eligible_teacher().user, vacancy=vacancy
        )

    school_day = start + timedelta(days=policy.idle_application_school_days, hours=1)
    center_day = start + timedelta(days=policy.idle_application_center_days, hours=1)
    assert services.applications_nudge_idle(now=start + timedelta(days=1)) == {
        "school": 0,
        "center": 0,
    }
    assert services.applications_nudge_idle(now=school_day) == {"school": 1, "center": 0}
    assert services.applications_nudge_idle(now=school_day) == {"school": 0, "center": 0}
    assert services.applications_nudge_idle(now=center_day) == {"school": 0, "center": 1}
    assert services.applications_nudge_idle(now=center_day) == {"school": 0, "center": 0}
    application.refresh_from_db()
    assert application.school_nudged_at and application.center_nudged_at
    assert Notification.objects.filter(recipient=center_user).count() == 1

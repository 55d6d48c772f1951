"""A hired teacher (or one holding an accepted offer) is out of play at every other school."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.admission.availability import hiring_availability
from apps.applications import services
from apps.applications.models import ApplicationStatus, OfferStatus
from apps.applications.selectors import application_get_for_school, school_may_act_on
from apps.employment.models import Employment
from apps.employment.services import employment_hire
from apps.schools.models import SchoolGroupMember
from apps.vacancies.models import VacancySchool
from tests.applications.factories import (
    ApplicationFactory,
    OfferFactory,
    accepted_application,
    english_vacancy,
    offer_terms,
)
from tests.schools.factories import SchoolFactory, SchoolGroupFactory, SchoolMembershipFactory
from tests.teachers.factories import make_eligible_teacher

S = ApplicationStatus
EMPLOYED = "Employed by a school"
HOLDS_OFFER = "Holds an accepted offer for another post"


def _slot():
    return services.SlotProposal(
        starts_at=timezone.now() + timedelta(days=3), mode="on_site", location="Room 1"
    )


@pytest.fixture
def hired(school_a, liaison_a):
    """A teacher hired at school A."""
    teacher = make_eligible_teacher()
    employment_hire(
        actor=liaison_a, application=accepted_application(english_vacancy(school=school_a), teacher)
    )
    return teacher


@pytest.fixture
def committed(school_a):
    """A teacher holding an accepted offer at school A (the hire not yet confirmed)."""
    teacher = make_eligible_teacher()
    accepted_application(english_vacancy(school=school_a), teacher)
    return teacher


@pytest.mark.parametrize(("who", "message"), [("hired", EMPLOYED), ("committed", HOLDS_OFFER)])
def test_another_school_cannot_move_a_committed_teacher_along(
    request, who, message, school_b, liaison_b
):
    teacher = request.getfixturevalue(who)
    vacancy = english_vacancy(school=school_b)
    submitted = ApplicationFactory(vacancy=vacancy, teacher=teacher)
    with pytest.raises(ValidationError, match=message):
        services.application_shortlist(actor=liaison_b, application=submitted)

    shortlisted = ApplicationFactory(
        vacancy=english_vacancy(school=school_b), teacher=teacher, status=S.SHORTLISTED
    )
    with pytest.raises(ValidationError, match=message):
        services.interview_propose(actor=liaison_b, application=shortlisted, slots=[_slot()])
    with pytest.raises(ValidationError, match=message):
        services.offer_make(actor=liaison_b, application=shortlisted, terms=offer_terms())

    submitted.refresh_from_db()
    shortlisted.refresh_from_db()
    assert (submitted.status, shortlisted.status) == (S.SUBMITTED, S.SHORTLISTED)
    assert not shortlisted.interview_slots.exists()


def test_a_hired_teacher_cannot_accept_another_schools_offer(hired, school_b):
    offered = ApplicationFactory(
        vacancy=english_vacancy(school=school_b), teacher=hired, status=S.OFFERED
    )
    OfferFactory(application=offered)

    with pytest.raises(ValidationError, match=EMPLOYED):
        services.offer_accept(actor=hired.user, application=offered)

    offered.refresh_from_db()
    assert offered.status == S.OFFERED
    assert offered.offer.status == OfferStatus.OPEN


def test_a_hired_teacher_cannot_apply_elsewhere(client, hired, school_b):
    vacancy = english_vacancy(school=school_b)
    with pytest.raises(ValidationError, match=EMPLOYED):
        services.application_apply(actor=hired.user, vacancy=vacancy)

    client.force_login(hired.user)
    page = client.get(vacancy.get_absolute_url()).content.decode()
    assert 'data-testid="apply-form"' not in page
    assert EMPLOYED in page


def test_the_accepted_offer_itself_is_still_confirmed(committed, liaison_a):
    """The teacher's own accepted offer does not make them unavailable for that very post."""
    application = committed.applications.get(status=S.ACCEPTED)

    employment = employment_hire(actor=liaison_a, application=application)

    assert employment.teacher == committed
    assert Employment.objects.filter(teacher=committed).count() == 1


def test_one_selector_says_who_is_available(hired, committed):
    free = make_eligible_teacher()
    own_vacancy = committed.applications.get().vacancy_id

    results = hiring_availability([hired, committed, free])
    assert {pk: r.code for pk, r in results.items()} == {
        hired.pk: "employed",
        committed.pk: "offer_accepted",
        free.pk: "available",
    }
    assert hiring_availability([committed], vacancy_id=own_vacancy)[committed.pk].passed


def test_a_cluster_member_reads_but_only_the_lead_school_acts(client, vacancy, teacher, liaison_a):
    member = SchoolFactory()
    cluster = SchoolGroupFactory(lead_school=vacancy.school)
    SchoolGroupMember.objects.create(group=cluster, school=member)
    vacancy.cluster = cluster
    vacancy.save()
    VacancySchool.objects.create(vacancy=vacancy, school=vacancy.school, weekly_hours=10)
    VacancySchool.objects.create(vacancy=vacancy, school=member, weekly_hours=6)
    member_staff = SchoolMembershipFactory(school=member).user
    application = services.application_apply(actor=teacher.user, vacancy=vacancy)

    assert school_may_act_on(user=liaison_a, application=application)
    assert not school_may_act_on(user=member_staff, application=application)
    read = application_get_for_school(user=member_staff, code=application.code)
    assert read == application
    client.force_login(member_staff)
    hire = client.get(reverse("employment:hire", args=[application.code]))
    assert hire.status_code == 403


def test_the_applicant_page_tells_school_b_the_teacher_is_employed(
    client, hired, school_b, liaison_b
):
    application = ApplicationFactory(vacancy=english_vacancy(school=school_b), teacher=hired)
    client.force_login(liaison_b)

    page = client.get(reverse("applications:school_detail", args=[application.code]))

    assert page.status_code == 200
    assert 'data-testid="availability"' in page.content.decode()
    assert EMPLOYED in page.content.decode()

"""Concurrent hires on PostgreSQL: exactly one wins, the other gets a clear message."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from apps.applications import services as application_services
from apps.applications.models import Application, ApplicationStatus
from apps.employment import services
from apps.employment.models import Employment, EmploymentStatus
from tests.applications.factories import OfferFactory, accepted_application, english_vacancy
from tests.concurrency import run_at_once
from tests.schools.factories import SchoolMembershipFactory
from tests.teachers.factories import make_eligible_teacher

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ITERATIONS = 100


def _free(*teachers):
    """Between iterations: end employments and clear accepted applications."""
    Employment.objects.filter(teacher__in=teachers).update(
        status=EmploymentStatus.ENDED, ended_on="2027-01-01"
    )
    Application.objects.filter(teacher__in=teachers, status=ApplicationStatus.ACCEPTED).update(
        status=ApplicationStatus.WITHDRAWN
    )


def test_two_hires_on_the_last_post_exactly_one_wins(school_a, liaison_a):
    first_teacher, second_teacher = make_eligible_teacher(), make_eligible_teacher()
    for _ in range(ITERATIONS):
        vacancy = english_vacancy(school=school_a, created_by=liaison_a)
        first = accepted_application(vacancy, first_teacher)
        second = accepted_application(vacancy, second_teacher)

        results = run_at_once(
            lambda a=first: services.employment_hire(actor=liaison_a, application=a),
            lambda a=second: services.employment_hire(actor=liaison_a, application=a),
        )

        winners = [r for r in results if isinstance(r, Employment)]
        losers = [r for r in results if isinstance(r, ValidationError)]
        assert len(winners) == 1 and len(losers) == 1, results
        vacancy.refresh_from_db()
        assert vacancy.filled_posts == 1
        assert Employment.objects.filter(vacancy=vacancy).count() == 1
        _free(first_teacher, second_teacher)


def test_two_schools_race_for_one_teacher_exactly_one_wins(
    school_a, liaison_a, school_b, liaison_b
):
    teacher = make_eligible_teacher()
    for _ in range(ITERATIONS):
        offers = []
        for school, staff in ((school_a, liaison_a), (school_b, liaison_b)):
            application = Application.objects.create(
                vacancy=english_vacancy(school=school, created_by=staff),
                teacher=teacher,
                status=ApplicationStatus.OFFERED,
            )
            offers.append(OfferFactory(application=application))

        # The teacher accepts both offers at once: only one acceptance can stand.
        accepted = run_at_once(
            *(
                lambda a=o.application: application_services.offer_accept(
                    actor=teacher.user, application=a
                )
                for o in offers
            )
        )
        assert sum(not isinstance(r, Exception) for r in accepted) == 1, accepted
        assert all(isinstance(r, ValidationError) for r in accepted if isinstance(r, Exception))

        # Both schools click "hire": the one without an accepted offer gets a clear message.
        hires = run_at_once(
            lambda a=offers[0].application: services.employment_hire(
                actor=liaison_a, application=a
            ),
            lambda a=offers[1].application: services.employment_hire(
                actor=liaison_b, application=a
            ),
        )
        assert sum(isinstance(r, Employment) for r in hires) == 1, hires
        assert sum(isinstance(r, ValidationError) for r in hires) == 1, hires
        assert Employment.objects.filter(teacher=teacher, status="active").count() == 1
        _free(teacher)


def test_double_click_on_hire_in_the_browser_never_500s(school_a):
    staff = SchoolMembershipFactory(school=school_a, is_liaison=True).user
    teacher = make_eligible_teacher()
    for _ in range(ITERATIONS // 2):
        vacancy = english_vacancy(school=school_a, created_by=staff)
        application = accepted_application(vacancy, teacher)
        url = reverse("employment:hire", args=[application.code])

        def click(url=url):
            client = Client()
            client.force_login(staff)
            return client.post(url, {"hiring_channel": "network", "payment_method": "salary"})

        statuses = sorted(response.status_code for response in run_at_once(click, click))
        assert statuses == [302, 400], statuses
        assert Employment.objects.filter(application=application).count() == 1
        _free(teacher)

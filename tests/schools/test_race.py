"""Concurrent clicks on PostgreSQL: one account per invitation, one liaison per school."""

import pytest
from django.core.exceptions import ValidationError

from apps.accounts.models import User
from apps.schools import services
from apps.schools.models import SchoolMembership
from tests.concurrency import run_at_once
from tests.schools.factories import SchoolMembershipFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a-long-unique-passphrase"
ITERATIONS = 30


def test_an_invitation_accepted_twice_at_once_creates_one_account(school_a, liaison_a):
    for n in range(ITERATIONS):
        email = f"race{n}@example.org"
        invitation = services.school_invitation_create(
            actor=liaison_a, school=school_a, email=email
        )
        token = services.invitation_token(invitation)

        def accept(token=token):
            return services.school_invitation_accept(token=token, full_name="A", password=PASSWORD)

        results = run_at_once(accept, accept)

        assert sum(isinstance(r, User) for r in results) == 1, results
        assert sum(isinstance(r, ValidationError) for r in results) == 1, results
        assert User.objects.filter(email=email).count() == 1


def test_two_liaison_handovers_at_once_leave_one_liaison(school_a, liaison_a, center_user):
    for _ in range(ITERATIONS):
        first, second = (SchoolMembershipFactory(school=school_a) for _ in range(2))

        results = run_at_once(
            lambda m=first: services.school_liaison_transfer(actor=center_user, membership=m),
            lambda m=second: services.school_liaison_transfer(actor=center_user, membership=m),
        )

        assert all(isinstance(r, SchoolMembership) for r in results), results
        assert SchoolMembership.objects.filter(school=school_a, is_liaison=True).count() == 1


def test_the_same_licence_registered_twice_at_once_gives_one_school_and_a_message(db):
    from apps.core.models import District, SchoolType
    from apps.schools.models import School

    district, school_type = District.objects.first(), SchoolType.objects.first()

    def register(n):
        return services.school_register(
            name_zh_hans=f"学校{n}",
            name_en="",
            district=district,
            school_type=school_type,
            ownership="public",
            licence_number="RACE-1",
            address="杭州",
            contact_phone="0571",
            liaison_email=f"l{n}@example.org",
            liaison_name="L",
            liaison_password=PASSWORD,
        )

    results = run_at_once(lambda: register(1), lambda: register(2))

    assert sum(isinstance(r, School) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert User.objects.filter(role="school_staff").count() == 1

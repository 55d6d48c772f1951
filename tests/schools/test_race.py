"""Concurrent clicks on PostgreSQL: one account per invitation or address, one school per
licence, one liaison per school."""

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


def _pending(n, *, licence, email):
    from apps.core.models import District, SchoolType

    return services.school_register(
        name_zh_hans=f"学校{n}",
        name_en="",
        district=District.objects.first(),
        school_type=SchoolType.objects.first(),
        ownership="public",
        licence_number=licence,
        address="杭州",
        contact_phone="0571-88001234",
        liaison_email=email,
        liaison_name="L",
        liaison_password=PASSWORD,
    )


def _confirm(pending):
    return services.school_registration_confirm(token=services.registration_token(pending))


def test_the_same_licence_confirmed_twice_at_once_gives_one_school_and_a_message(db):
    from apps.schools.models import School

    for n in range(ITERATIONS):
        first = _pending(1, licence=f"RACE-{n}", email=f"a{n}@example.org")
        second = _pending(2, licence=f"RACE-{n}", email=f"b{n}@example.org")

        results = run_at_once(lambda p=first: _confirm(p), lambda p=second: _confirm(p))

        assert sum(isinstance(r, School) for r in results) == 1, results
        errors = [r for r in results if isinstance(r, ValidationError)]
        assert [e.code for e in errors] == ["licence_taken"], results
        assert f"RACE-{n}" in errors[0].message
        assert School.objects.filter(licence_number=f"RACE-{n}").count() == 1
        # The loser's login was rolled back with its school.
        assert (
            User.objects.filter(email__in=[f"a{n}@example.org", f"b{n}@example.org"]).count() == 1
        )


def test_the_same_address_confirmed_twice_at_once_gives_one_account_and_a_message(db):
    from apps.schools.models import School

    for n in range(ITERATIONS):
        email = f"same{n}@example.org"
        # Registering twice stores two pending registrations and creates no account yet.
        first = _pending(1, licence=f"MAIL-{n}-1", email=email)
        second = _pending(2, licence=f"MAIL-{n}-2", email=email)
        assert first is not None and second is not None

        results = run_at_once(lambda p=first: _confirm(p), lambda p=second: _confirm(p))

        assert sum(isinstance(r, School) for r in results) == 1, results
        errors = [r for r in results if isinstance(r, ValidationError)]
        assert [e.code for e in errors] == ["email_taken"], results
        assert User.objects.filter(email=email).count() == 1
        assert School.objects.filter(licence_number__startswith=f"MAIL-{n}-").count() == 1


def test_one_link_confirmed_twice_at_once_creates_one_school(db):
    from apps.schools.models import School

    for n in range(ITERATIONS):
        pending = _pending(1, licence=f"ONCE-{n}", email=f"once{n}@example.org")

        results = run_at_once(lambda p=pending: _confirm(p), lambda p=pending: _confirm(p))

        assert sum(isinstance(r, School) for r in results) == 1, results
        errors = [r for r in results if isinstance(r, ValidationError)]
        assert [e.code for e in errors] == ["used"], results
        assert User.objects.filter(email=f"once{n}@example.org").count() == 1

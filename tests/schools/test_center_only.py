"""Verification, center edits and groups are the service center's work: services refuse others."""

import pytest
from django.core.exceptions import PermissionDenied

from apps.core.models import AuditEvent
from apps.schools import services
from apps.schools.models import GroupKind, MemberRole, SchoolGroup, VerificationStatus
from tests.schools.factories import SchoolFactory

pytestmark = pytest.mark.django_db
OTHERS = ["teacher_user", "school_user", "liaison_a", "bureau_user"]


@pytest.fixture(params=OTHERS)
def other(request, db):
    return request.getfixturevalue(request.param)


def test_only_center_staff_may_verify_or_reject_a_school(other, school_a):
    pending = SchoolFactory(verification_status=VerificationStatus.PENDING)

    with pytest.raises(PermissionDenied):
        services.school_verify(actor=other, school=pending)
    with pytest.raises(PermissionDenied):
        services.school_reject(actor=other, school=pending, reason="x")

    pending.refresh_from_db()
    assert pending.verification_status == VerificationStatus.PENDING
    assert not AuditEvent.objects.filter(action__startswith="school.").exists()


def test_anonymous_cannot_verify_a_school():
    from django.contrib.auth.models import AnonymousUser

    pending = SchoolFactory(verification_status=VerificationStatus.PENDING)
    with pytest.raises(PermissionDenied):
        services.school_verify(actor=AnonymousUser(), school=pending)
    with pytest.raises(PermissionDenied):
        services.school_verify(actor=None, school=pending)


def test_only_center_staff_may_save_a_school_as_the_center(other, school_a):
    school_a.address = "Somewhere else"
    with pytest.raises(PermissionDenied):
        services.school_save_by_center(actor=other, school=school_a, changed=["address"])
    school_a.refresh_from_db()
    assert school_a.address != "Somewhere else"


def test_only_center_staff_may_build_groups(other, center_user):
    lead, a, b = SchoolFactory(), SchoolFactory(), SchoolFactory()
    with pytest.raises(PermissionDenied):
        services.school_group_create(
            actor=other,
            kind=GroupKind.CLUSTER,
            name="片区",
            lead_school=lead,
            members=[(a, MemberRole.MEMBER)],
        )
    assert not SchoolGroup.objects.exists()

    group = services.school_group_create(
        actor=center_user,
        kind=GroupKind.CLUSTER,
        name="片区",
        lead_school=lead,
        members=[(a, MemberRole.MEMBER)],
    )
    with pytest.raises(PermissionDenied):
        services.school_group_member_add(actor=other, group=group, school=b)
    with pytest.raises(PermissionDenied):
        services.school_group_member_remove(actor=other, member=group.members.get())
    assert [m.school for m in group.members.all()] == [a]

"""Groups and clusters: the membership rules per kind, checked before anything is saved."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from apps.accounts.permissions import require_center_staff
from apps.core.models import District
from apps.core.selectors import policy_settings_get
from apps.core.services import audit_record

from ..models import GroupKind, MemberRole, School, SchoolGroup, SchoolGroupMember

MemberSpec = tuple[School, str]  # (school, MemberRole)


def school_group_validate(*, kind: str, lead_school: School, members: Sequence[MemberSpec]) -> None:
    """Check a group's members against its kind's rules; raise ValidationError listing problems."""
    errors: list[str] = []
    schools = [lead_school.pk] + [school.pk for school, _role in members]
    if len(schools) != len(set(schools)):
        errors.append(gettext("A school appears in a group only once (the lead school counts)."))
    roles = [role for _school, role in members]
    if kind == GroupKind.ENTRUSTED:
        if len(members) != 1 or roles != [MemberRole.ENTRUSTED]:
            errors.append(
                gettext(
                    "Entrusted management is exactly one trustee school (the lead school) "
                    "and one entrusted school."
                )
            )
    elif MemberRole.ENTRUSTED in roles:
        errors.append(gettext("Only entrusted-management groups have an entrusted school."))
    if kind == GroupKind.CLUSTER:
        limit = policy_settings_get().max_cluster_members
        if len(members) > limit:
            errors.append(
                gettext("A cluster has at most %(limit)d member schools besides its lead school.")
                % {"limit": limit}
            )
    if errors:
        raise ValidationError(errors)


def _snapshot(group: SchoolGroup, members: Sequence[MemberSpec]) -> dict[str, Any]:
    return {
        "kind": group.kind,
        "name": group.name,
        "lead_school": group.lead_school.licence_number,
        "members": [[school.licence_number, role] for school, role in members],
    }


@transaction.atomic
def school_group_create(
    *,
    actor: Any,
    kind: str,
    name: str,
    lead_school: School,
    members: Sequence[MemberSpec],
    district: District | None = None,
) -> SchoolGroup:
    """Create a group with its members after checking the kind's rules (center only); audited."""
    require_center_staff(actor)
    school_group_validate(kind=kind, lead_school=lead_school, members=members)
    group = SchoolGroup(kind=kind, name=name, lead_school=lead_school, district=district)
    group.full_clean()
    group.save()
    for school, role in members:
        SchoolGroupMember.objects.create(group=group, school=school, role=role)
    audit_record(
        actor=actor, action="school_group.create", target=group, after=_snapshot(group, members)
    )
    return group


@transaction.atomic
def school_group_member_add(
    *, actor: Any, group: SchoolGroup, school: School, role: str = MemberRole.MEMBER
) -> SchoolGroupMember:
    """Add a school to a group if the kind's rules still hold (center only); audited."""
    require_center_staff(actor)
    group = SchoolGroup.objects.select_for_update().select_related("lead_school").get(pk=group.pk)
    current = [(m.school, m.role) for m in group.members.select_related("school")]
    school_group_validate(
        kind=group.kind, lead_school=group.lead_school, members=[*current, (school, role)]
    )
    member = SchoolGroupMember.objects.create(group=group, school=school, role=role)
    audit_record(
        actor=actor,
        action="school_group.member_add",
        target=group,
        after={"school": school.licence_number, "role": role},
    )
    return member


@transaction.atomic
def school_group_member_remove(*, actor: Any, member: SchoolGroupMember) -> None:
    """Remove a member school from a group (center only); audited."""
    require_center_staff(actor)
    group = member.group
    before = {"school": member.school.licence_number, "role": member.role}
    if group.kind == GroupKind.ENTRUSTED:
        raise ValidationError(
            gettext("Entrusted management needs its entrusted school: delete the group instead.")
        )
    member.delete()
    audit_record(actor=actor, action="school_group.member_remove", target=group, before=before)


@transaction.atomic
def school_group_update(
    *,
    actor: Any,
    group: SchoolGroup,
    kind: str,
    name: str,
    lead_school: School,
    members: Sequence[MemberSpec],
    district: District | None = None,
) -> SchoolGroup:
    """Change a group and its members under a lock after checking the kind's rules; audited."""
    require_center_staff(actor)
    stored = SchoolGroup.objects.select_for_update().select_related("lead_school").get(pk=group.pk)
    current = {m.school_id: m for m in stored.members.select_related("school")}
    before = _snapshot(stored, [(m.school, m.role) for m in current.values()])
    school_group_validate(kind=kind, lead_school=lead_school, members=members)
    stored.kind, stored.name, stored.lead_school, stored.district = (
        kind,
        name,
        lead_school,
        district,
    )
    stored.full_clean()
    stored.save()
    wanted = {school.pk: (school, role) for school, role in members}
    SchoolGroupMember.objects.filter(group=stored).exclude(school__in=list(wanted)).delete()
    for school_id, (school, role) in wanted.items():
        member = current.get(school_id)
        if member is None:
            SchoolGroupMember.objects.create(group=stored, school=school, role=role)
        elif member.role != role:
            member.role = role
            member.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action="school_group.change",
        target=stored,
        before=before,
        after=_snapshot(stored, members),
    )
    return stored

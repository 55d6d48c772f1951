"""Reads for schools, groups and partner schools; who may see which rows is decided here."""

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from apps.accounts.models import BureauMembership, Role

from .models import (
    PartnerSchool,
    School,
    SchoolGroup,
    SchoolGroupMember,
    SchoolMembership,
    VerificationStatus,
)


def membership_for_user(user: Any) -> SchoolMembership | None:
    """Return the user's active school membership (with its school), or None."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.SCHOOL_STAFF:
        return None
    # Asked several times a page (each access rule, the page's reads): kept on the user object,
    # which lives for one request, as Django keeps permissions. Only a membership found is kept:
    # nobody can deactivate their own, so it cannot go away under the user acting.
    found = getattr(user, "_active_school_membership", None)
    if found is not None:
        return found
    # A deactivated membership keeps its row (the audit trail names it) but grants nothing.
    # One membership per login (a one-to-one): no need for the Meta ordering's join on users.
    # Never cached between requests: access follows the row as it is now. Every school page
    # asks, so it joins the school alone (the dashboard's figures name its district and type).
    found = (
        SchoolMembership.objects.select_related("school")
        .filter(user=user, is_active=True)
        .order_by("pk")
        .first()
    )
    if found is not None:
        user._active_school_membership = found
    return found


def school_for_user(user: Any) -> School | None:
    """Return the school a school-staff user works for, or None."""
    membership = membership_for_user(user)
    return membership.school if membership else None


def school_can_post(school: School | None) -> bool:
    """Say whether the school may post anything (vacancies, visits): only once verified."""
    return school is not None and school.verification_status == VerificationStatus.VERIFIED


def school_staff_list(*, school: School) -> QuerySet[SchoolMembership]:
    """Return the school's staff memberships, active first."""
    return (
        SchoolMembership.objects.filter(school=school)
        .select_related("user")
        .order_by("-is_active", "-is_liaison", "user__full_name", "user__email")
    )


def _contacts_q(also_user_id: int | None) -> Q:
    # The liaison answers for the school's foreign teachers, so everything about the school goes
    # to them; `also_user_id` adds the colleague who started the matter (a vacancy's author).
    wanted = Q(is_liaison=True)
    if also_user_id is not None:
        wanted |= Q(user_id=also_user_id)
    return Q(is_active=True) & wanted


def school_contacts(*, school: School, also_user_id: int | None = None) -> list[Any]:
    """Return the staff told about the school's business: its liaison (and also_user_id)."""
    memberships = (
        SchoolMembership.objects.filter(_contacts_q(also_user_id), school=school)
        .select_related("user")
        .order_by("user_id")
    )
    return [membership.user for membership in memberships]


def school_contacts_prefetch(*, lookup: str = "memberships") -> Prefetch:
    """Prefetch the liaison contacts onto each school as `contact_memberships` (batch jobs)."""
    return Prefetch(
        lookup,
        queryset=SchoolMembership.objects.filter(_contacts_q(None))
        .select_related("user")
        .order_by("user_id"),
        to_attr="contact_memberships",
    )


def school_partner_list(*, school: School) -> QuerySet[PartnerSchool]:
    """Return the school's overseas partner schools."""
    return PartnerSchool.objects.filter(school=school).order_by("name")


def partner_school_for_user(*, user: Any, code: Any) -> PartnerSchool:
    """Return one partner school of the user's own school; DoesNotExist for anyone else's."""
    school = school_for_user(user)
    # Filtering by the user's school (not only the code) is the ownership check: another
    # school's code looks exactly like a code that does not exist.
    return PartnerSchool.objects.select_related("school").get(code=code, school=school)


def _members_prefetch() -> Prefetch:
    return Prefetch(
        "members",
        queryset=SchoolGroupMember.objects.select_related("school").order_by("school__name"),
    )


def school_groups_for_school(*, school: School) -> QuerySet[SchoolGroup]:
    """Return the groups the school leads or belongs to, with their members."""
    return (
        SchoolGroup.objects.filter(Q(lead_school=school) | Q(members__school=school))
        # The members join repeats a group once per matching member row.
        .distinct()
        .select_related("lead_school", "district")
        .prefetch_related(_members_prefetch())
        .order_by("kind", "name")
    )


def bureau_membership_for_user(user: Any) -> BureauMembership | None:
    """Return the bureau viewer's jurisdiction row, or None (no jurisdiction: sees nothing)."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.BUREAU_VIEWER:
        return None
    # Asked several times a page (scope, counts, lists): kept on the user object for the
    # request, as membership_for_user does; only a row found is kept.
    found = getattr(user, "_bureau_membership", None)
    if found is not None:
        return found
    found = BureauMembership.objects.select_related("district").filter(user=user).first()
    if found is not None:
        user._bureau_membership = found
    return found


def schools_visible_to_bureau(user: Any) -> QuerySet[School]:
    """Return the schools in the bureau viewer's jurisdiction (municipal: the whole city)."""
    membership = bureau_membership_for_user(user)
    if membership is None:
        return School.objects.none()
    schools = School.objects.select_related("district", "school_type")
    if membership.district_id is not None:
        schools = schools.filter(district_id=membership.district_id)
    return schools


def bureau_jurisdiction_q(user: Any, *, school: str = "school") -> Q:
    """Return the condition keeping rows whose school (at `school`) the bureau viewer may see.

    The municipal bureau sees the whole city: no condition, rather than a join through every
    school; a district bureau, one indexed column; no jurisdiction, nothing.
    """
    membership = bureau_membership_for_user(user)
    if membership is None:
        return Q(pk__in=[])
    if membership.district_id is None:
        return Q()
    return Q(**{f"{school}__district_id": membership.district_id})


def school_groups_visible_to_bureau(user: Any) -> QuerySet[SchoolGroup]:
    """Return groups with a lead or member school in the bureau's jurisdiction, with members."""
    membership = bureau_membership_for_user(user)
    if membership is None:
        return SchoolGroup.objects.none()
    groups = SchoolGroup.objects.all()
    if membership.district_id is not None:
        district = membership.district_id
        groups = groups.filter(
            Q(lead_school__district_id=district) | Q(members__school__district_id=district)
        ).distinct()
    return (
        groups.select_related("lead_school", "lead_school__district", "district")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=SchoolGroupMember.objects.select_related(
                    "school", "school__district"
                ).order_by("school__name"),
            )
        )
        .order_by("kind", "name")
    )


def bureau_counts(user: Any) -> dict[str, int]:
    """Count the jurisdiction's schools by verification status and its groups."""
    totals = schools_visible_to_bureau(user).aggregate(
        schools=Count("pk"),
        verified=Count("pk", filter=Q(verification_status=VerificationStatus.VERIFIED)),
        pending=Count("pk", filter=Q(verification_status=VerificationStatus.PENDING)),
    )
    # Distinct ids only: distinct over every column of the joined rows is twice as slow.
    totals["groups"] = school_groups_visible_to_bureau(user).order_by().values("pk").count()
    return totals


def schools_pending_verification_count() -> int:
    """Count schools waiting for the center's verification."""
    return School.objects.filter(verification_status=VerificationStatus.PENDING).count()


def bureau_school_filter(*, user: Any, data: Any):
    """Return the filtered schools of the bureau's jurisdiction (a FilterSet)."""
    from .filters import SchoolFilter

    return SchoolFilter(
        data, queryset=schools_visible_to_bureau(user).order_by("district__sort_order", "name")
    )


def bureau_group_filter(*, user: Any, data: Any):
    """Return the filtered groups (with members) of the bureau's jurisdiction (a FilterSet)."""
    from .filters import SchoolGroupFilter

    return SchoolGroupFilter(data, queryset=school_groups_visible_to_bureau(user))

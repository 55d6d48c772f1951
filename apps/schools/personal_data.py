from typing import Any

from .models import SchoolInvitation, SchoolMembership


def export_school_staff(user: Any) -> dict[str, Any]:
    membership = SchoolMembership.objects.select_related("school").filter(user=user).first()
    invitations = SchoolInvitation.objects.filter(email__iexact=user.email).select_related("school")
    return {
        "membership": (
            {
                "school": membership.school.name,
                "is_liaison": membership.is_liaison,
                "is_active": membership.is_active,
                "joined_at": membership.joined_at.isoformat(),
            }
            if membership
            else None
        ),
        "invitations_received": [
            {"school": i.school.name, "created_at": i.created_at.isoformat()} for i in invitations
        ],
    }


def erase_school_staff(user: Any) -> None:
    # The school itself stays (it is the school's record, not the person's).
    SchoolInvitation.objects.filter(email__iexact=user.email).delete()
    SchoolInvitation.objects.filter(invited_by=user).update(invited_by=None)
    SchoolMembership.objects.filter(user=user).delete()

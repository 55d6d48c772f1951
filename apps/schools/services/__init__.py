"""Writes for the schools app (one module per area; import from here)."""

from .groups import (
    school_group_audit_admin_change,
    school_group_create,
    school_group_member_add,
    school_group_member_remove,
    school_group_validate,
)
from .partners import partner_school_delete, partner_school_save
from .schools import (
    VERIFICATION_TRANSITIONS,
    invitation_from_token,
    invitation_token,
    school_invitation_accept,
    school_invitation_create,
    school_liaison_transfer,
    school_register,
    school_reject,
    school_save_by_center,
    school_staff_deactivate,
    school_verify,
)

__all__ = [
    "VERIFICATION_TRANSITIONS",
    "invitation_from_token",
    "invitation_token",
    "partner_school_delete",
    "partner_school_save",
    "school_group_audit_admin_change",
    "school_group_create",
    "school_group_member_add",
    "school_group_member_remove",
    "school_group_validate",
    "school_invitation_accept",
    "school_invitation_create",
    "school_liaison_transfer",
    "school_register",
    "school_reject",
    "school_save_by_center",
    "school_staff_deactivate",
    "school_verify",
]

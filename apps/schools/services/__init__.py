"""Writes for the schools app (one module per area; import from here)."""

from .groups import (
    school_group_create,
    school_group_member_add,
    school_group_member_remove,
    school_group_update,
    school_group_validate,
)
from .partners import partner_school_delete, partner_school_save
from .registration import (
    pending_registration_from_token,
    pending_registrations_purge,
    registration_token,
    school_register,
    school_registration_confirm,
)
from .schools import (
    invitation_from_token,
    invitation_token,
    school_invitation_accept,
    school_invitation_create,
    school_liaison_transfer,
    school_reject,
    school_save_by_center,
    school_staff_deactivate,
    school_verify,
)

__all__ = [
    "invitation_from_token",
    "invitation_token",
    "partner_school_delete",
    "partner_school_save",
    "pending_registration_from_token",
    "pending_registrations_purge",
    "registration_token",
    "school_group_create",
    "school_group_member_add",
    "school_group_member_remove",
    "school_group_update",
    "school_group_validate",
    "school_invitation_accept",
    "school_invitation_create",
    "school_liaison_transfer",
    "school_register",
    "school_registration_confirm",
    "school_reject",
    "school_save_by_center",
    "school_staff_deactivate",
    "school_verify",
]

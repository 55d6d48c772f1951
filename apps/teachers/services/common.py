"""Helpers every teachers service module shares: who may edit, telling the teacher, reasons."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from apps.accounts.permissions import is_center_staff_actor
from apps.notifications.services import notify

from ..models import RejectionReason, Teacher


def ensure_can_edit(actor: Any, teacher: Teacher) -> None:
    """Raise PermissionDenied unless the actor is the teacher themself or center staff."""
    if is_center_staff_actor(actor):
        return
    if not getattr(actor, "is_authenticated", False) or teacher.user_id != actor.pk:
        raise PermissionDenied


def teacher_notify(teacher: Teacher, *, kind: str, title, body, params, url: str = "") -> None:
    """Notify the teacher in their language, if their login still exists and is active."""
    if teacher.user_id and teacher.user.is_active:
        notify(recipient=teacher.user, kind=kind, title=title, body=body, params=params, url=url)


def rejection_reason_validate(*, reason: str, note: str) -> None:
    """Check a center rejection (profile or document): a standard reason, or "other" + note."""
    if reason not in RejectionReason.values:
        raise ValidationError(gettext("Choose a reason."))
    if reason == RejectionReason.OTHER and not note.strip():
        raise ValidationError(gettext("Write the reason when you choose “Other”."))

import io
import json
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from apps.accounts.permissions import is_center_staff_actor, require_center_staff
from apps.core.personal_data import personal_data_erase, personal_data_export
from apps.core.services import audit_record

from ..models import Teacher
from .common import ensure_can_edit


def personal_data_zip(*, user: Any) -> bytes:
    """Build the export-my-data archive: data.json (every app's section) and the user's files."""
    export = personal_data_export(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(export.sections, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        for exported in export.files:
            archive.writestr(f"files/{exported.name}", exported.content)
    audit_record(actor=user, action="account.export", target=user)
    return buffer.getvalue()


@transaction.atomic
def teacher_deletion_request(*, actor: Any, teacher: Teacher) -> Teacher:
    """Record the teacher's request to delete their account; the center confirms it."""
    ensure_can_edit(actor, teacher)
    stored = Teacher.objects.select_for_update().get(pk=teacher.pk)
    if stored.deletion_requested_at is None:
        stored.deletion_requested_at = timezone.now()
        stored.save(update_fields=["deletion_requested_at"])
        audit_record(actor=actor, action="teacher.deletion_request", target=stored)
    return stored


@transaction.atomic
def teacher_account_delete(*, actor: Any, teacher: Teacher) -> Teacher:
    """Confirm a deletion request: run every app's eraser and delete the login; records stay."""
    require_center_staff(actor)
    stored = (
        Teacher.objects.select_for_update(of=("self",)).select_related("user").get(pk=teacher.pk)
    )
    if stored.deletion_requested_at is None:
        raise ValidationError(gettext("The teacher has not asked for their account to be deleted."))
    if stored.user is None:
        return stored
    login_delete(stored, actor=actor)
    stored.refresh_from_db()
    return stored


def login_delete(teacher: Teacher, *, actor: Any) -> None:
    """Run every app's eraser and delete the teacher's login (inside the caller's transaction).

    The center's confirmation calls it, and the retention job when a hold ends first.
    """
    user = teacher.user
    personal_data_erase(user)
    audit_record(
        actor=actor, action="teacher.account_delete", target=teacher, reason=f"login {user.pk}"
    )
    user.delete()


def teacher_identity_view_record(*, actor: Any, teacher: Teacher) -> None:
    """Audit a center staff member seeing a teacher's full passport number and birth date."""
    if is_center_staff_actor(actor) and teacher.user_id != actor.pk:
        audit_record(actor=actor, action="teacher.passport.view", target=teacher)

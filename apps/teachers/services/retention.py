"""Retention: expired documents lose their files, deletion requests are carried out after the hold.

What is kept, for how long and why is listed in README ("Retention"); the numbers are
PolicySettings fields. Both daily jobs are safe to run twice: every row is locked and checked
again before it changes, and a changed row no longer matches.
"""

import logging
from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from apps.core.models import AuditEvent
from apps.core.selectors import policy_settings_get
from apps.core.services import audit_record

from ..models import Document, DocumentStatus, Teacher
from ..selectors import teacher_history, teachers_due_for_erasure
from .privacy import login_delete

logger = logging.getLogger(__name__)

# What erasure empties on the kept Teacher row: everything that names or describes the person.
# Category, nationality, gender, degree level, languages, subjects and levels stay, unlinked
# from any name, so past years' statistics keep adding up.
ERASED_VALUES: dict[str, Any] = {
    "legal_name": "",
    "date_of_birth": None,
    "passport_number": "",
    "current_country": "",
    "current_city": "",
    "degree_field": "",
    "degree_university": "",
    "degree_country": "",
    "degree_year": None,
    "intern_university": "",
    "intern_expected_graduation": None,
    "china_university": "",
    "earliest_start": None,
    "salary_min": None,
    "salary_max": None,
    "bio": "",
    "open_to_suggestions": False,
    "rejection_note": "",
}


def _document_file_delete(document_id: int, *, due: Q, reason: str) -> int:
    """Delete one document's stored file and keep its row as a stub; audited. 1 if deleted."""
    with transaction.atomic():
        stored = (
            Document.objects.select_for_update()
            .filter(due, pk=document_id, file_deleted_at__isnull=True)
            .first()
        )
        if stored is None:
            return 0  # deleted by a parallel run meanwhile
        name, storage = stored.file.name, stored.file.storage
        Document.objects.filter(pk=stored.pk).update(
            file="", original_name="", file_deleted_at=timezone.now()
        )
        audit_record(
            actor=None,
            action="teacher.document.file_deleted",
            target=stored,
            before={"size": stored.size, "sha256": stored.sha256},
            reason=reason,
        )
        if name:
            # Inside the transaction: if storage fails, the row keeps its file for the next run.
            storage.delete(name)
    return 1


def documents_expired_files_delete(*, on: date) -> int:
    """Delete the files of documents expired more than the keeping period ago; return how many.

    The rows stay as stubs (kind, dates, status, checksum) with one audit event each. A
    rejected scan stays whole (it may be the evidence of falsified documents) until the
    teacher's deletion request is carried out.
    """
    days = policy_settings_get().expired_document_keep_days
    due = Q(status=DocumentStatus.EXPIRED, expires_on__lt=on - timedelta(days=days))
    reason = gettext("Expired more than %(days)s days ago: the file is deleted.") % {"days": days}
    deleted = 0
    for pk in list(
        Document.objects.filter(due, file_deleted_at__isnull=True).values_list("pk", flat=True)
    ):
        try:
            deleted += _document_file_delete(pk, due=due, reason=reason)
        except OSError:
            logger.exception("The file of document %s could not be deleted", pk)
    return deleted


def _audit_scrub(teacher: Teacher) -> None:
    # The audit rows about the teacher and their documents stay (who did what, when), without
    # the name they were written with or the erased fields' values.
    document_type = ContentType.objects.get_for_model(Document)
    documents = {str(d.pk): str(d) for d in teacher.documents.select_related("teacher__user")}
    events = list(teacher_history(teacher=teacher))
    for event in events:
        is_document = event.target_type_id == document_type.pk
        # Written after erasure, str() names the profile by its code ("Passport · <code>").
        event.target_repr = documents[event.target_id] if is_document else str(teacher)
        for snapshot in (event.before, event.after):
            if isinstance(snapshot, dict):
                for name in ERASED_VALUES.keys() & snapshot.keys():
                    snapshot[name] = "-"
    AuditEvent.objects.bulk_update(events, ["target_repr", "before", "after"])


@transaction.atomic
def teacher_erase(*, teacher_id: int, on: date) -> int:
    """Carry out a deletion request whose legal hold has ended; audited stub. 1 if erased.

    Runs every app's eraser and deletes the login (if the center has not already), empties
    the personal fields, deletes the documents' files (rows stay as stubs) and the profile's
    experience and certificates. Employment, evaluation and credit rows stay, as the law or
    the statistics need them, pointing at the anonymous profile.
    """
    stored = (
        teachers_due_for_erasure(on=on)
        .select_for_update(of=("self",))
        .select_related("user")
        .filter(pk=teacher_id)
        .first()
    )
    if stored is None:
        return 0
    if stored.user is not None:
        login_delete(stored, actor=None)
        stored.refresh_from_db()  # the erasers detached the profile from the deleted login
    reason = gettext("The teacher's deletion request, carried out after the legal hold.")
    for pk in stored.documents.filter(file_deleted_at__isnull=True).values_list("pk", flat=True):
        _document_file_delete(pk, due=Q(teacher=stored), reason=reason)
    stored.experiences.all().delete()
    stored.certificates.all().delete()
    stored.preferred_districts.clear()
    for name, value in ERASED_VALUES.items():
        setattr(stored, name, value)
    stored.completed_steps = []
    stored.erased_at = timezone.now()
    # passport_number_hash is recomputed on save: empty, so nothing links back to the number.
    stored.save(
        update_fields=[*ERASED_VALUES, "completed_steps", "erased_at", "passport_number_hash"]
    )
    _audit_scrub(stored)
    audit_record(
        actor=None,
        action="teacher.erased",
        target=stored,
        after={
            "category": stored.category,
            "deletion_requested_at": stored.deletion_requested_at.isoformat(),
            "documents_kept_as_stubs": stored.documents.count(),
        },
        reason=reason,
    )
    return 1


def teachers_erase_due(*, on: date) -> int:
    """Carry out every deletion request whose legal hold ended by that day; return how many."""
    erased = 0
    for pk in list(teachers_due_for_erasure(on=on).values_list("pk", flat=True)):
        try:
            erased += teacher_erase(teacher_id=pk, on=on)
        except Exception:
            # That teacher's transaction rolled back and is tried again tomorrow; one failure
            # must not hold back every request after it.
            logger.exception("Teacher %s could not be erased", pk)
    return erased

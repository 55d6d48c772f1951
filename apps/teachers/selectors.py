from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Exists, F, Max, Min, OuterRef, Q, QuerySet
from django.http import Http404

from apps.core.models import AuditEvent

from .models import Document, DocumentKind, DocumentStatus, Teacher, TeacherStatus
from .steps import METER_PARTS, STEP_SLUGS

# Documents a teacher must have on file (uploaded or verified) before review.
REQUIRED_DOCUMENT_KINDS = [
    DocumentKind.PASSPORT,
    DocumentKind.DEGREE,
    DocumentKind.CRIMINAL_RECORD,
    DocumentKind.HEALTH_CHECK,
]
LIVE_DOCUMENT_STATUSES = [DocumentStatus.UPLOADED, DocumentStatus.VERIFIED]
# The center dashboard's duplicate count: a scan of every passport and file hash, so cached.
DUPLICATE_COUNT_KEY = "teachers:duplicate-count"
DUPLICATE_COUNT_SECONDS = 5 * 60

DocumentAccessRule = Callable[[Any, Document], bool]
_document_access_rules: list[DocumentAccessRule] = []


def register_document_access(rule: DocumentAccessRule) -> None:
    """Let a higher app (hiring) grant more viewers; each rule answers (user, document) → bool."""
    if rule not in _document_access_rules:
        _document_access_rules.append(rule)


# code → callable(day) returning rows (each with a `teacher` foreign key) that oblige the
# center to keep a teacher's records on that day: the legal hold on a deletion request.
RecordHoldRows = Callable[[date], QuerySet]
_record_holds: dict[str, RecordHoldRows] = {}


def register_record_hold(code: str, rows: RecordHoldRows) -> None:
    """Let a higher app (employment, credit) hold a teacher's records (AppConfig.ready)."""
    _record_holds[code] = rows


def teachers_due_for_erasure(*, on: date) -> QuerySet[Teacher]:
    """Return teachers who asked for deletion, are not erased yet and are held by no record."""
    due = Teacher.objects.filter(deletion_requested_at__isnull=False, erased_at__isnull=True)
    for code in sorted(_record_holds):
        due = due.exclude(Exists(_record_holds[code](on).filter(teacher=OuterRef("pk"))))
    return due


def document_can_view(*, user: Any, document: Document) -> bool:
    """Return whether the user may download the document: owner, center staff, granted rules."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_center_staff:
        return True
    if user.is_teacher and document.teacher.user_id == user.pk:
        return True
    return any(rule(user, document) for rule in _document_access_rules)


def document_get_for_download(*, user: Any, code: Any) -> Document:
    """Return the document the user may download; 404 for missing and for forbidden alike."""
    document = Document.objects.select_related("teacher").filter(code=code).first()
    if document is None or not document_can_view(user=user, document=document):
        raise Http404
    return document


def teacher_for_user(*, user: Any) -> Teacher | None:
    """Return the signed-in teacher's own profile, or None before it exists."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Teacher.objects.filter(user=user).first()


def teacher_documents(*, teacher: Teacher) -> QuerySet[Document]:
    """Return a teacher's documents, newest first within each kind."""
    return Document.objects.filter(teacher=teacher).select_related("verified_by")


def live_document_kinds(*, teacher: Teacher) -> set[str]:
    """Return the kinds the teacher has a live (uploaded or verified) document of."""
    return set(
        Document.objects.filter(teacher=teacher, status__in=LIVE_DOCUMENT_STATUSES).values_list(
            "kind", flat=True
        )
    )


def teacher_completeness(*, teacher: Teacher, document_kinds: set[str]) -> dict[str, Any]:
    """Return the meter (percent) and which profile parts are done."""
    steps_done = [slug for slug in STEP_SLUGS if slug in (teacher.completed_steps or [])]
    documents_done = all(kind in document_kinds for kind in REQUIRED_DOCUMENT_KINDS)
    submitted = teacher.status in {TeacherStatus.PENDING, TeacherStatus.VERIFIED}
    done = len(steps_done) + int(documents_done) + int(submitted)
    return {
        "percent": round(100 * done / METER_PARTS),
        "steps_done": steps_done,
        "documents_done": documents_done,
        "missing_documents": [k for k in REQUIRED_DOCUMENT_KINDS if k not in document_kinds],
        "submitted": submitted,
    }


def _shared_values(rows: QuerySet, field: str, owner: str) -> QuerySet:
    """The values of `field` that more than one teacher holds (one GROUP BY … HAVING)."""
    # Two holders ⇔ the smallest holder differs from the largest: hashable, no DISTINCT sort.
    return (
        rows.exclude(**{field: ""})
        .order_by()
        .values(field)
        .annotate(first=Min(owner), last=Max(owner))
        .filter(first__lt=F("last"))
        .values(field)
    )


def teachers_flagged_duplicate() -> QuerySet[Teacher]:
    """Return teachers sharing a passport number or an identical file with another account."""
    # Two grouped scans of the hash indexes instead of a correlated self-join per teacher.
    shared_passports = _shared_values(Teacher.objects.all(), "passport_number_hash", "id")
    shared_files = _shared_values(Document.objects.all(), "sha256", "teacher_id")
    return Teacher.objects.filter(
        Q(passport_number_hash__in=shared_passports)
        | Q(pk__in=Document.objects.filter(sha256__in=shared_files).values("teacher_id"))
    )


def teachers_duplicate_count() -> int:
    """Count teachers flagged as possible duplicates (center dashboard); cached.

    Uploads and passport changes clear it (services); anything else ages out within minutes.
    The admin list the number links to is always live.
    """
    count = cache.get(DUPLICATE_COUNT_KEY)
    if count is None:
        count = teachers_flagged_duplicate().count()
        cache.set(DUPLICATE_COUNT_KEY, count, DUPLICATE_COUNT_SECONDS)
    return count


def teacher_duplicates(*, teacher: Teacher) -> dict[str, list[Teacher]]:
    """Return the other teachers with the same passport number or an identical document."""
    same_passport = (
        list(
            Teacher.objects.filter(passport_number_hash=teacher.passport_number_hash).exclude(
                pk=teacher.pk
            )
        )
        if teacher.passport_number_hash
        else []
    )
    hashes = Document.objects.filter(teacher=teacher).values("sha256")
    same_file = list(
        Teacher.objects.filter(documents__sha256__in=hashes).exclude(pk=teacher.pk).distinct()
    )
    return {"passport": same_passport, "files": same_file}


def mask_passport(number: str) -> str:
    return f"{'•' * max(len(number) - 3, 3)}{number[-3:]}" if number else ""


def teacher_identity_for(*, viewer: Any, teacher: Teacher) -> dict[str, str]:
    """Return passport number and birth date, masked for everyone but the owner and center.

    A center page that shows the full number also calls services.teacher_identity_view_record.
    """
    owner = viewer.is_authenticated and teacher.user_id == viewer.pk
    if owner or (viewer.is_authenticated and viewer.is_center_staff):
        return {
            "passport_number": teacher.passport_number,
            "date_of_birth": teacher.date_of_birth.isoformat() if teacher.date_of_birth else "",
        }
    return {
        "passport_number": mask_passport(teacher.passport_number),
        "date_of_birth": f"{teacher.date_of_birth:%Y}-••-••" if teacher.date_of_birth else "",
    }


def teacher_history(*, teacher: Teacher) -> QuerySet[AuditEvent]:
    """Return the audit events about the teacher and their documents, newest first."""
    from django.contrib.contenttypes.models import ContentType

    teacher_type = ContentType.objects.get_for_model(Teacher)
    document_type = ContentType.objects.get_for_model(Document)
    document_ids = [str(pk) for pk in teacher.documents.values_list("pk", flat=True)]
    return AuditEvent.objects.filter(
        Q(target_type=teacher_type, target_id=str(teacher.pk))
        | Q(target_type=document_type, target_id__in=document_ids)
    ).select_related("actor")


def review_queue_counts() -> dict[str, int]:
    """Return the center dashboard's teacher-verification numbers (a handful of queries)."""
    from django.db.models import Count

    # One pass over the teachers for the status counts and the deletion requests.
    counts = Teacher.objects.aggregate(
        pending=Count("id", filter=Q(status=TeacherStatus.PENDING)),
        verified=Count("id", filter=Q(status=TeacherStatus.VERIFIED)),
        rejected=Count("id", filter=Q(status=TeacherStatus.REJECTED)),
        deletion_requests=Count(
            "id", filter=Q(deletion_requested_at__isnull=False, user__isnull=False)
        ),
    )
    return counts | {
        "documents_to_review": Document.objects.filter(
            status=DocumentStatus.UPLOADED, teacher__status=TeacherStatus.PENDING
        ).count(),
        "duplicates": teachers_duplicate_count(),
    }

from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.permissions import require_center_staff
from apps.core.dates import add_months
from apps.core.selectors import policy_settings_get
from apps.core.services import audit_record
from apps.core.transitions import transition

from ..models import (
    EXPIRY_REMINDER_KINDS,
    Authentication,
    Document,
    DocumentKind,
    DocumentReminder,
    DocumentStatus,
    RejectionReason,
    Teacher,
)
from ..selectors import DUPLICATE_COUNT_KEY
from ..uploads import inspect_upload
from .common import ensure_can_edit, rejection_reason_validate, teacher_notify

EXPIRING_KINDS = {DocumentKind.PASSPORT}
EXPIRABLE_STATUSES = [DocumentStatus.UPLOADED, DocumentStatus.VERIFIED]


@transaction.atomic
def document_upload(
    *,
    actor: Any,
    teacher: Teacher,
    kind: str,
    file: File,
    issued_on: date | None = None,
    expires_on: date | None = None,
    issuing_country: str = "",
    authentication: str = Authentication.NONE,
) -> Document:
    """Store a checked scan under a random name in the vault; audited.

    Raises ValidationError (per field) for a bad file, a missing or past passport expiry, or a
    criminal-record certificate past its validity. A criminal-record certificate expires
    `criminal_record_validity_months` after its issue date.
    """
    ensure_can_edit(actor, teacher)
    try:
        info = inspect_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    today = timezone.localdate()
    if kind in EXPIRING_KINDS and not expires_on:
        raise ValidationError({"expires_on": gettext("Enter the expiry date.")})
    if expires_on and expires_on <= today:
        raise ValidationError(
            {"expires_on": gettext("This document has already expired: upload a valid one.")}
        )
    if issued_on and issued_on > today:
        raise ValidationError({"issued_on": gettext("The issue date cannot be in the future.")})
    if kind == DocumentKind.CRIMINAL_RECORD:
        if not issued_on:
            raise ValidationError({"issued_on": gettext("Enter the issue date.")})
        months = policy_settings_get().criminal_record_validity_months
        expires_on = add_months(issued_on, months)
        if expires_on <= today:
            raise ValidationError(
                {
                    "issued_on": gettext(
                        "A criminal-record certificate is valid for %(months)s months "
                        "after issue: this one is too old."
                    )
                    % {"months": months}
                }
            )
    document = Document(
        teacher=teacher,
        kind=kind,
        original_name=info.name,
        content_type=info.content_type,
        size=info.size,
        sha256=info.sha256,
        issued_on=issued_on,
        expires_on=expires_on,
        issuing_country=issuing_country,
        authentication=authentication,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.file.save(f"upload{info.suffix}", file, save=False)
    document.full_clean()
    document.save()
    # A new file may duplicate another account's: recount on the center dashboard.
    transaction.on_commit(lambda: cache.delete(DUPLICATE_COUNT_KEY))
    audit_record(
        actor=actor,
        action="teacher.document.upload",
        target=document,
        after={"kind": kind, "sha256": info.sha256, "size": info.size},
    )
    return document


@transaction.atomic
def document_verify(*, actor: Any, document: Document, notify_teacher: bool = True) -> Document:
    """Mark an uploaded document verified (center only); audited."""
    require_center_staff(actor)
    stored = Document.objects.select_for_update().get(pk=document.pk)
    if stored.status == DocumentStatus.VERIFIED:
        return stored
    transition(
        stored,
        DocumentStatus.VERIFIED,
        actor=actor,
        transitions=Document.TRANSITIONS,
        action="teacher.document.verify",
        extra={"verified_at": timezone.now(), "verified_by": actor},
    )
    if notify_teacher:
        teacher_notify(
            stored.teacher,
            kind="teacher.document.verified",
            title=_("Your %(document)s was verified"),
            body=_("The service center verified your %(document)s."),
            params={"document": DocumentKind(stored.kind).label},
            url=reverse("teachers:documents"),
        )
    return stored


@transaction.atomic
def document_reject(*, actor: Any, document: Document, reason: str, note: str = "") -> Document:
    """Reject a document with a standard reason (and note); notify the teacher; audited."""
    require_center_staff(actor)
    rejection_reason_validate(reason=reason, note=note)
    stored = (
        Document.objects.select_for_update(of=("self",))
        .select_related("teacher__user")
        .get(pk=document.pk)
    )
    transition(
        stored,
        DocumentStatus.REJECTED,
        actor=actor,
        transitions=Document.TRANSITIONS,
        action="teacher.document.reject",
        reason=f"{reason}: {note}".strip(),
        extra={"rejection_reason": reason, "rejection_note": note.strip()},
    )
    teacher_notify(
        stored.teacher,
        kind="teacher.document.rejected",
        title=_("Please upload your %(document)s again"),
        body=_("The service center could not accept your %(document)s: %(reason)s %(note)s"),
        params={
            "document": DocumentKind(stored.kind).label,
            "reason": RejectionReason(reason).label,
            "note": note.strip(),
        },
        url=reverse("teachers:documents"),
    )
    return stored


def document_download_record(*, actor: Any, document: Document, inline: bool = False) -> None:
    """Write the audit row every download (or center preview) of a document leaves."""
    audit_record(
        actor=actor,
        action="teacher.document.preview" if inline else "teacher.document.download",
        target=document,
    )


def documents_expire(*, on: date) -> int:
    """Mark documents whose expiry date has passed as expired; safe to run twice."""
    expired = 0
    candidates = Document.objects.filter(
        expires_on__lt=on, status__in=EXPIRABLE_STATUSES
    ).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            document = Document.objects.filter(pk=pk).first()
            if document is None or document.status not in EXPIRABLE_STATUSES:
                continue
            try:
                # A conditional update: a parallel run that expired it first makes this one
                # claim no row, so the document is counted (and audited) once.
                transition(
                    document,
                    DocumentStatus.EXPIRED,
                    actor=None,
                    transitions=Document.TRANSITIONS,
                    action="teacher.document.expire",
                )
            except ValidationError:
                continue
            expired += 1
    return expired


def document_reminders_send(*, on: date) -> int:
    """Remind teachers before a passport or certificate expires, once per threshold."""
    thresholds = policy_settings_get().document_reminder_day_list
    if not thresholds:
        return 0
    documents = Document.objects.filter(
        kind__in=EXPIRY_REMINDER_KINDS,
        status__in=[DocumentStatus.UPLOADED, DocumentStatus.VERIFIED],
        expires_on__gte=on,
        expires_on__lte=on + timedelta(days=max(thresholds)),
    ).select_related("teacher__user")
    sent = 0
    for document in documents:
        days_left = (document.expires_on - on).days
        # Only the nearest threshold: a late first run sends one reminder, not three.
        due = min(t for t in thresholds if days_left <= t)
        try:
            with transaction.atomic():
                DocumentReminder.objects.create(document=document, days_before=due)
                teacher_notify(
                    document.teacher,
                    kind="teacher.document.expiring",
                    title=_("Your %(document)s expires in %(days)s days"),
                    body=_(
                        "Your %(document)s expires on %(date)s. Upload the renewed document "
                        "so schools can keep considering you."
                    ),
                    params={
                        "document": DocumentKind(document.kind).label,
                        "days": days_left,
                        "date": document.expires_on.isoformat(),
                    },
                    url=reverse("teachers:documents"),
                )
        except IntegrityError:
            continue
        sent += 1
    return sent

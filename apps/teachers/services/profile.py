from datetime import date
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.accounts.permissions import require_center_staff
from apps.core.services import audit_record, model_snapshot
from apps.core.transitions import transition

from .. import signals
from ..models import (
    CONFIDENTIAL_IDENTITY_FIELDS,
    IDENTITY_KEY_FIELDS,
    QUALIFICATION_FIELDS,
    Category,
    DocumentStatus,
    Experience,
    RejectionReason,
    Teacher,
    TeacherStatus,
    TeachingCertificate,
)
from ..selectors import DUPLICATE_COUNT_KEY, REQUIRED_DOCUMENT_KINDS, live_document_kinds
from ..steps import STEP_SLUGS
from .common import ensure_can_edit, rejection_reason_validate, teacher_notify

# Changing any of these after verification sends the profile back to the center: they are
# what the admission standard, the intern rules and the hire read.
KEY_FIELDS = {*IDENTITY_KEY_FIELDS, *QUALIFICATION_FIELDS}
MIN_DEGREE_AGE = 15


def _announce(signal, teacher_id: int) -> None:
    transaction.on_commit(lambda: signal.send(sender=Teacher, teacher_id=teacher_id))


@transaction.atomic
def teacher_profile_ensure(*, user: Any) -> Teacher:
    """Return the teacher's profile, creating an empty draft on first use."""
    if not user.is_teacher:
        raise PermissionDenied
    teacher, created = Teacher.objects.get_or_create(
        user=user, defaults={"legal_name": user.full_name, "timezone": user.timezone}
    )
    if created:
        audit_record(actor=user, action="teacher.create", target=teacher)
    return teacher


def teacher_profile_validate(teacher: Teacher) -> None:
    """Raise ValidationError (per field) for impossible dates or a category's missing details."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if teacher.date_of_birth and teacher.date_of_birth > today:
        errors["date_of_birth"] = gettext("The date of birth cannot be in the future.")
    if teacher.date_of_birth and teacher.degree_year:
        if teacher.degree_year < teacher.date_of_birth.year + MIN_DEGREE_AGE:
            errors["degree_year"] = gettext(
                "The degree year is before you were %(age)s years old: please check it."
            ) % {"age": MIN_DEGREE_AGE}
    if teacher.degree_year and teacher.degree_year > today.year:
        errors["degree_year"] = gettext("The degree year cannot be in the future.")
    if teacher.category == Category.INTERN:
        if not teacher.intern_university:
            errors["intern_university"] = gettext("Interns: enter the university.")
        if not teacher.intern_expected_graduation:
            errors["intern_expected_graduation"] = gettext(
                "Interns: enter the expected graduation."
            )
    if teacher.category == Category.CHINA_GRADUATE:
        if not teacher.china_university:
            errors["china_university"] = gettext("Enter the Chinese university.")
        if not teacher.china_degree_level:
            errors["china_degree_level"] = gettext("Enter the degree level.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def teacher_update(
    *,
    actor: Any,
    teacher: Teacher,
    values: dict[str, Any],
    m2m: dict[str, Any] | None = None,
    step: str = "",
) -> Teacher:
    """Save profile fields (and a completed step); a key-field change re-queues a verified profile.

    Raises ValidationError for impossible dates or missing category details, and
    PermissionDenied for another's profile.
    """
    ensure_can_edit(actor, teacher)
    stored = Teacher.objects.select_for_update().get(pk=teacher.pk)
    names = sorted(values)
    before = model_snapshot(stored, names)
    for name, value in values.items():
        setattr(stored, name, value)
    teacher_profile_validate(stored)
    stored.full_clean(exclude=["user"])
    changed_keys = {
        n for n in names if n in KEY_FIELDS and before[n] != model_snapshot(stored, [n])[n]
    }
    if step and step in STEP_SLUGS and step not in stored.completed_steps:
        stored.completed_steps = [s for s in STEP_SLUGS if s in {*stored.completed_steps, step}]
    back_to_review = stored.status == TeacherStatus.VERIFIED and bool(changed_keys)
    stored.save()
    if "timezone" in values:
        # Pages and notifications read the account's zone (accounts.zones.user_timezone): the
        # zone chosen on the profile is the teacher's zone everywhere. Audited with the profile.
        User.objects.filter(pk=stored.user_id).update(timezone=stored.timezone)
    for name, items in (m2m or {}).items():
        getattr(stored, name).set(items)
    if "passport_number" in changed_keys:
        # A new number may match another account's: recount on the center dashboard.
        transaction.on_commit(lambda: cache.delete(DUPLICATE_COUNT_KEY))
    after = model_snapshot(stored, names)
    # Never write the passport number or the birth date itself into the audit trail.
    for snapshot in (before, after):
        for name in CONFIDENTIAL_IDENTITY_FIELDS:
            if name in snapshot:
                snapshot[name] = "changed" if name in changed_keys else "-"
    audit_record(
        actor=actor,
        action="teacher.update",
        target=stored,
        before=before,
        after={**after, "m2m": sorted(m2m or {}), "step": step},
    )
    if back_to_review:
        _back_to_review(actor=actor, teacher=stored, reason=", ".join(sorted(changed_keys)))
    elif stored.status == TeacherStatus.VERIFIED and (
        before.get("open_to_suggestions") is False and stored.open_to_suggestions
    ):
        _announce(signals.teacher_opted_in, stored.pk)
    teacher.refresh_from_db()
    return stored


def _back_to_review(*, actor: Any, teacher: Teacher, reason: str) -> None:
    # The row is locked by the caller; `reason` names what changed (fields, "experience", …).
    transition(
        teacher,
        TeacherStatus.PENDING,
        actor=actor,
        transitions=Teacher.TRANSITIONS,
        action="teacher.back_to_review",
        reason=reason,
        extra={"submitted_at": timezone.now()},
    )
    _announce(signals.teacher_needs_review, teacher.pk)


def _requeue_if_verified(*, actor: Any, teacher: Teacher, reason: str) -> None:
    """Send a verified profile back to the center after a change to what was verified."""
    stored = Teacher.objects.select_for_update().get(pk=teacher.pk)
    if stored.status != TeacherStatus.VERIFIED:
        return
    _back_to_review(actor=actor, teacher=stored, reason=reason)


def _validate_experiences(entries: list[dict[str, Any]]) -> None:
    # Each error names its row and field (params), so a form page can show it on that field.
    today = timezone.localdate()
    errors = []
    for row, entry in enumerate(entries):
        ended, started = entry.get("ended_on"), entry["started_on"]
        if started > today:
            errors.append(
                ValidationError(
                    gettext("The start cannot be in the future."),
                    code="future_start",
                    params={"row": row, "field": "started_on"},
                )
            )
        if ended and ended < started:
            errors.append(
                ValidationError(
                    gettext("The end date is before the start date."),
                    code="end_before_start",
                    params={"row": row, "field": "ended_on"},
                )
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def teacher_experiences_set(
    *, actor: Any, teacher: Teacher, entries: list[dict[str, Any]]
) -> list[Experience]:
    """Replace the teacher's experience entries (the form's rows) and mark the step done."""
    ensure_can_edit(actor, teacher)
    _validate_experiences(entries)
    before = _experience_signature(Experience.objects.filter(teacher=teacher))
    Experience.objects.filter(teacher=teacher).delete()
    created = []
    for entry in entries:
        levels = entry.pop("levels", [])
        experience = Experience(teacher=teacher, **entry)
        experience.full_clean()
        experience.save()
        experience.levels.set(levels)
        created.append(experience)
    if _experience_signature(created) != before:
        _requeue_if_verified(actor=actor, teacher=teacher, reason="experience")
    teacher_update(actor=actor, teacher=teacher, values={}, step="experience")
    return created


def _experience_signature(experiences) -> list[tuple]:
    return sorted((e.school, e.country, e.started_on, e.ended_on) for e in experiences)


def _certificate_signature(certificates) -> list[tuple]:
    return sorted((c.kind, c.hours, c.issuing_country) for c in certificates)


@transaction.atomic
def teacher_certificates_set(
    *, actor: Any, teacher: Teacher, entries: list[dict[str, Any]]
) -> list[TeachingCertificate]:
    """Replace the teacher's teaching certificates with the given rows."""
    ensure_can_edit(actor, teacher)
    before = _certificate_signature(TeachingCertificate.objects.filter(teacher=teacher))
    TeachingCertificate.objects.filter(teacher=teacher).delete()
    created = []
    for entry in entries:
        certificate = TeachingCertificate(teacher=teacher, **entry)
        certificate.full_clean()
        certificate.save()
        created.append(certificate)
    audit_record(
        actor=actor,
        action="teacher.certificates",
        target=teacher,
        after={"certificates": [f"{c.kind}:{c.hours}" for c in created]},
    )
    if _certificate_signature(created) != before:
        _requeue_if_verified(actor=actor, teacher=teacher, reason="certificates")
    return created


@transaction.atomic
def teacher_education_save(
    *, actor: Any, teacher: Teacher, values: dict[str, Any], certificates: list[dict[str, Any]]
) -> Teacher:
    """Save the education step with its certificates: all or nothing (ValidationError); audited."""
    stored = teacher_update(actor=actor, teacher=teacher, values=values, step="education")
    teacher_certificates_set(actor=actor, teacher=teacher, entries=certificates)
    return stored


@transaction.atomic
def teacher_submit_for_review(*, actor: Any, teacher: Teacher) -> Teacher:
    """Send a complete profile to the center; raises ValidationError listing what is missing."""
    ensure_can_edit(actor, teacher)
    stored = Teacher.objects.select_for_update().get(pk=teacher.pk)
    missing_steps = [s for s in STEP_SLUGS if s not in stored.completed_steps]
    kinds = live_document_kinds(teacher=stored)
    missing_docs = [k.label for k in REQUIRED_DOCUMENT_KINDS if k not in kinds]
    if missing_steps or missing_docs:
        raise ValidationError(
            gettext("Before submitting, complete: %(missing)s.")
            % {"missing": ", ".join([*missing_steps, *map(str, missing_docs)])}
        )
    # A resubmission clears the last rejection: the center reviews the profile afresh.
    transition(
        stored,
        TeacherStatus.PENDING,
        actor=actor,
        transitions=Teacher.TRANSITIONS,
        action="teacher.submit",
        extra={"submitted_at": timezone.now(), "rejection_reason": "", "rejection_note": ""},
    )
    return stored


@transaction.atomic
def teacher_verify(
    *, actor: Any, teacher: Teacher, include_documents: bool = True, on: date | None = None
) -> Teacher:
    """Verify a submitted profile (and its uploaded documents); notify the teacher; audited."""
    from .documents import document_verify

    require_center_staff(actor)
    stored = (
        Teacher.objects.select_for_update(of=("self",)).select_related("user").get(pk=teacher.pk)
    )
    transition(
        stored,
        TeacherStatus.VERIFIED,
        actor=actor,
        transitions=Teacher.TRANSITIONS,
        action="teacher.verify",
        extra={
            "verified_at": timezone.now(),
            "verified_by": actor,
            "rejection_reason": "",
            "rejection_note": "",
        },
    )
    if include_documents:
        for document in stored.documents.filter(status=DocumentStatus.UPLOADED):
            document_verify(actor=actor, document=document, notify_teacher=False)
    _announce(signals.teacher_verified, stored.pk)
    teacher_notify(
        stored,
        kind="teacher.verified",
        title=_("Your profile was verified"),
        body=_(
            "The service center verified your profile, %(name)s. "
            "Your dashboard shows whether anything is still missing before you can be matched."
        ),
        params={"name": stored.legal_name},
        url=reverse("dashboards:teacher"),
    )
    return stored


@transaction.atomic
def teacher_reject(*, actor: Any, teacher: Teacher, reason: str, note: str = "") -> Teacher:
    """Reject a submitted profile with a standard reason (and note); notify the teacher."""
    require_center_staff(actor)
    rejection_reason_validate(reason=reason, note=note)
    stored = (
        Teacher.objects.select_for_update(of=("self",)).select_related("user").get(pk=teacher.pk)
    )
    transition(
        stored,
        TeacherStatus.REJECTED,
        actor=actor,
        transitions=Teacher.TRANSITIONS,
        action="teacher.reject",
        reason=f"{reason}: {note}".strip(),
        extra={"rejection_reason": reason, "rejection_note": note.strip()},
    )
    teacher_notify(
        stored,
        kind="teacher.rejected",
        title=_("Your profile needs changes"),
        body=_("The service center could not verify your profile: %(reason)s %(note)s"),
        params={"reason": RejectionReason(reason).label, "note": note.strip()},
        url=reverse("teachers:profile"),
    )
    return stored

"""Writes for internship agreements: the school submits, the center decides."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.permissions import require_center_staff
from apps.applications.models import Application
from apps.applications.services import ensure_school_owner, tell_school
from apps.core.dates import add_months
from apps.core.selectors import policy_settings_get
from apps.core.services import audit_record
from apps.core.transitions import transition
from apps.teachers.models import Category
from apps.teachers.uploads import inspect_upload

from ..models import AgreementStatus, InternshipAgreement

AGREEMENT_DECIDED = gettext_lazy("Internship agreement for %(teacher)s: %(status)s")


@transaction.atomic
def internship_agreement_submit(
    *,
    actor: Any,
    application: Application,
    university: str,
    starts_on: date,
    ends_on: date,
    file: Any,
) -> InternshipAgreement:
    """Submit an intern applicant's university agreement for the center's approval."""
    ensure_school_owner(actor, application)
    if not application.is_open:
        raise ValidationError(_("This application is closed."))
    if application.teacher.category != Category.INTERN:
        raise ValidationError(_("Only an intern needs an internship agreement."))
    policy = policy_settings_get()
    limit = add_months(starts_on, policy.intern_max_months)
    if ends_on > limit:
        raise ValidationError(
            {
                "ends_on": _(
                    "An internship lasts at most %(months)s months in all: until %(date)s."
                )
                % {"months": policy.intern_max_months, "date": limit.isoformat()}
            }
        )
    try:
        inspect_upload(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    agreement = InternshipAgreement(
        teacher=application.teacher,
        school=application.vacancy.school,
        university=university,
        starts_on=starts_on,
        ends_on=ends_on,
        file=file,
        created_by=actor,
    )
    agreement.full_clean()
    agreement.save()
    audit_record(actor=actor, action="internship_agreement.submitted", target=agreement)
    return agreement


@transaction.atomic
def internship_agreement_decide(
    *, actor: Any, agreement: InternshipAgreement, approve: bool, note: str = ""
) -> InternshipAgreement:
    """Approve or reject a submitted agreement (center staff); the school is told."""
    require_center_staff(actor)
    agreement = InternshipAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != AgreementStatus.SUBMITTED:
        raise ValidationError(_("This agreement was already decided."))
    if not approve and not note.strip():
        raise ValidationError(_("Give the reason for rejecting the agreement."))
    decision = AgreementStatus.APPROVED if approve else AgreementStatus.REJECTED
    transition(
        agreement,
        decision,
        actor=actor,
        transitions=InternshipAgreement.TRANSITIONS,
        action=f"internship_agreement.{decision}",
        reason=note,
        extra={"decided_by": actor, "decided_at": timezone.now(), "decision_note": note},
    )
    application = (
        Application.objects.filter(teacher=agreement.teacher, vacancy__school=agreement.school)
        .select_related("vacancy", "vacancy__school", "teacher")
        .order_by("-created_at")
        .first()
    )
    if application is not None:
        tell_school(
            application,
            title=AGREEMENT_DECIDED,
            body=note,
            params={"status": AgreementStatus(agreement.status).label},
        )
    return agreement

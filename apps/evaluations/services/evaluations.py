"""The school fills and submits an evaluation; the center reopens; the teacher responds."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Role, User
from apps.accounts.permissions import require_center_staff
from apps.core.services import audit_record, model_snapshot
from apps.core.transitions import transition
from apps.credit import services as credit_services
from apps.notifications.services import notify
from apps.schools.models import SchoolMembership
from apps.schools.selectors import school_contacts

from ..models import Dimension, Evaluation, EvaluationStatus, RubricLevel
from ..notices import (
    EVALUATION_REOPENED,
    EVALUATION_SUBMITTED,
    SERIOUS_INCIDENT,
    TEACHER_RESPONDED,
)

EDITABLE_FIELDS = [
    *(f"{d.value}_{part}" for d in Dimension for part in ("score", "comment")),
    "overall_comment",
    "serious_incident",
    "incident_description",
]


def _require_school_staff_of(actor: Any, school_id: int) -> None:
    if not (
        getattr(actor, "is_authenticated", False)
        and actor.role == Role.SCHOOL_STAFF
        and SchoolMembership.objects.filter(
            user=actor, school_id=school_id, is_active=True
        ).exists()
    ):
        raise PermissionDenied


def _check_values(evaluation: Evaluation, values: dict[str, Any], *, submit: bool) -> None:
    errors: dict[str, list[str]] = {}
    levels = set(
        RubricLevel.objects.filter(rubric_id=evaluation.rubric_id).values_list("dimension", "score")
    )
    for dimension in Dimension:
        name = f"{dimension.value}_score"
        score = values.get(name)
        if score is None:
            if submit:
                errors[name] = [
                    _("Choose a score for “%(dimension)s”.") % {"dimension": dimension.label}
                ]
        elif (dimension.value, score) not in levels:
            errors[name] = [
                _("%(score)s is not a score on the rubric for “%(dimension)s”.")
                % {"score": score, "dimension": dimension.label}
            ]
    if values.get("serious_incident") and not (values.get("incident_description") or "").strip():
        errors["incident_description"] = [
            _("Describe the serious incident: the service center is told at once.")
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def evaluation_save(
    *, actor: Any, evaluation: Evaluation, values: dict[str, Any], submit: bool = False
) -> Evaluation:
    """Save the school's draft (and submit it); record stars in credit; notify on incidents.

    Raises PermissionDenied for anyone but staff of the evaluated school, ValidationError for a
    submitted evaluation, scores off the rubric or an undescribed serious incident.
    """
    _require_school_staff_of(actor, evaluation.school_id)
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("round", "school", "teacher", "teacher__user")
        .get(pk=evaluation.pk)
    )
    if evaluation.status != EvaluationStatus.DRAFT:
        raise ValidationError(
            _("This evaluation was submitted and can no longer be changed."), code="submitted"
        )
    values = {name: values[name] for name in EDITABLE_FIELDS if name in values}
    _check_values(evaluation, values, submit=submit)
    before = model_snapshot(evaluation, EDITABLE_FIELDS)
    for name, value in values.items():
        # An empty score stays NULL (a draft may be partial); an empty text is "".
        setattr(evaluation, name, value if value is not None or name.endswith("_score") else "")
    if not evaluation.serious_incident:
        evaluation.incident_description = ""
    report_incident = evaluation.serious_incident and evaluation.incident_reported_at is None
    if report_incident:
        evaluation.incident_reported_at = timezone.now()
    evaluation.full_clean(exclude=["round", "employment", "school", "teacher", "rubric"])
    evaluation.save()
    audit_record(
        actor=actor,
        action="evaluations.evaluation.saved",
        target=evaluation,
        before=before,
        after=model_snapshot(evaluation, EDITABLE_FIELDS),
    )
    if report_incident:
        _notify_center_of_incident(evaluation)
    if submit:
        now = timezone.now()
        transition(
            evaluation,
            EvaluationStatus.SUBMITTED,
            actor=actor,
            transitions=Evaluation.TRANSITIONS,
            action="evaluations.evaluation.submitted",
            extra={"submitted_at": now, "submitted_by": actor},
        )
        credit_services.evaluation_result_record(
            teacher=evaluation.teacher,
            source_code=evaluation.code,
            quarter_start=evaluation.round.starts_on,
            law_compliance=Decimal(evaluation.law_compliance_score),
            teaching_duties=Decimal(evaluation.teaching_duties_score),
            daily_conduct=Decimal(evaluation.daily_conduct_score),
            serious_incident=evaluation.serious_incident,
        )
        if evaluation.teacher.user is not None:
            notify(
                recipient=evaluation.teacher.user,
                kind="evaluations",
                title=EVALUATION_SUBMITTED,
                params={"school": evaluation.school.name, "quarter": evaluation.round.quarter},
                url=reverse("evaluations:teacher_detail", args=[evaluation.code]),
            )
    return evaluation


def _notify_center_of_incident(evaluation: Evaluation) -> None:
    url = reverse("evaluations:center_detail", args=[evaluation.code])
    for user in User.objects.filter(role=Role.CENTER_STAFF, is_active=True).order_by("pk"):
        notify(
            recipient=user,
            kind="evaluations.incident",
            title=SERIOUS_INCIDENT,
            body=evaluation.incident_description,
            params={
                "school": evaluation.school.name,
                "teacher": evaluation.teacher.legal_name or evaluation.teacher,
                "quarter": evaluation.round.quarter,
            },
            url=url,
        )


@transaction.atomic
def evaluation_reopen(*, actor: Any, evaluation: Evaluation, reason: str) -> Evaluation:
    """Send a submitted evaluation back to the school (center staff, with a reason); audited.

    The scores leave the star level until the school submits again.
    """
    require_center_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for reopening.")]})
    transition(
        evaluation,
        EvaluationStatus.DRAFT,
        actor=actor,
        transitions=Evaluation.TRANSITIONS,
        reason=reason,
        action="evaluations.evaluation.reopened",
        extra={"reopen_reason": reason, "submitted_at": None, "submitted_by": None},
    )
    credit_services.evaluation_result_withdraw(source_code=evaluation.code)
    evaluation = Evaluation.objects.select_related("round", "teacher", "school").get(
        pk=evaluation.pk
    )
    for user in school_contacts(school=evaluation.school):
        notify(
            recipient=user,
            kind="evaluations",
            title=EVALUATION_REOPENED,
            body=reason,
            params={
                "teacher": evaluation.teacher.legal_name or evaluation.teacher,
                "quarter": evaluation.round.quarter,
            },
            url=evaluation.get_absolute_url(),
        )
    return evaluation


@transaction.atomic
def evaluation_respond(*, actor: Any, evaluation: Evaluation, text: str) -> Evaluation:
    """Add the teacher's one written response to their submitted evaluation; tell the school.

    Raises PermissionDenied for anyone but the evaluated teacher, ValidationError when empty,
    not submitted or already answered.
    """
    teacher_user_id = evaluation.teacher.user_id if evaluation.teacher_id else None
    if not getattr(actor, "is_authenticated", False) or actor.pk != teacher_user_id:
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError({"response": [_("Write your response.")]})
    claimed = Evaluation.objects.filter(
        pk=evaluation.pk, status=EvaluationStatus.SUBMITTED, teacher_response=""
    ).update(teacher_response=text, responded_at=timezone.now())
    if not claimed:
        raise ValidationError(_("You have already responded to this evaluation."), code="once")
    evaluation.refresh_from_db()
    audit_record(
        actor=actor,
        action="evaluations.evaluation.responded",
        target=evaluation,
        after={"teacher_response": text},
    )
    for user in school_contacts(school=evaluation.school):
        notify(
            recipient=user,
            kind="evaluations",
            title=TEACHER_RESPONDED,
            params={
                "teacher": evaluation.teacher.legal_name or evaluation.teacher,
                "quarter": evaluation.round.quarter,
            },
            url=evaluation.get_absolute_url(),
        )
    return evaluation

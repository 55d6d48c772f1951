"""The center's quarterly assessment of a school's management of its foreign teachers."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.permissions import require_center_staff
from apps.core.services import audit_record, model_snapshot
from apps.schools.models import School

from ..models import Evaluation, EvaluationRound, SchoolAssessment
from ..selectors.indicators import school_indicators

FIELDS = ["score", "comment"]


def school_assessment_check(*, round: EvaluationRound, school: School) -> None:
    """Raise ValidationError unless the school employed a foreign teacher in the round's quarter."""
    if not Evaluation.objects.filter(round=round, school=school).exists():
        raise ValidationError(
            _("%(school)s employed no foreign teacher in %(quarter)s.")
            % {"school": school.name, "quarter": round.quarter},
            code="not_employing",
        )


@transaction.atomic
def school_assessment_save(
    *, actor: Any, round: EvaluationRound, school: School, score: int, comment: str = ""
) -> SchoolAssessment:
    """Create or change the school's assessment for the round, with the indicators as of now.

    Raises PermissionDenied for anyone but center staff, ValidationError for a school that
    employed no foreign teacher in the quarter or a score off the 1–5 scale.
    """
    require_center_staff(actor)
    school_assessment_check(round=round, school=school)
    # Lock the school, not the assessment: before the first save there is no assessment row
    # to lock, and two assessors saving at once would both insert.
    School.objects.select_for_update().filter(pk=school.pk).first()
    indicators = school_indicators(round=round, schools=[school])[school.pk]
    assessment = (
        SchoolAssessment.objects.select_for_update().filter(round=round, school=school).first()
    )
    before = model_snapshot(assessment, FIELDS) if assessment else None
    assessment = assessment or SchoolAssessment(round=round, school=school)
    assessment.score = score
    assessment.comment = (comment or "").strip()
    assessment.assessed_by = actor
    assessment.indicators = {item.code: item.as_json() for item in indicators}
    assessment.full_clean(exclude=["round", "school"])
    assessment.save()
    audit_record(
        actor=actor,
        action="evaluations.assessment.saved",
        target=assessment,
        before=before,
        after=model_snapshot(assessment, FIELDS),
    )
    return assessment

"""Satisfaction surveys: a teacher about each school, a school about each teacher."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.services import audit_record
from apps.schools.models import SchoolMembership

from ..models import Evaluation, SurveyAnswer, SurveyDirection, SurveyQuestion, SurveyResponse


def _check_respondent(actor: Any, evaluation: Evaluation, direction: str) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    if direction == SurveyDirection.TEACHER_ABOUT_SCHOOL:
        if not actor.is_teacher:
            raise PermissionDenied
        if evaluation.teacher.user_id != actor.pk:
            raise ValidationError(
                _("You were not employed at %(school)s in %(quarter)s.")
                % {"school": evaluation.school.name, "quarter": evaluation.round.quarter},
                code="not_employed",
            )
    else:
        if not actor.is_school_staff:
            raise PermissionDenied
        if not SchoolMembership.objects.filter(
            user=actor, school_id=evaluation.school_id, is_active=True
        ).exists():
            raise ValidationError(
                _("%(teacher)s did not work at your school in %(quarter)s.")
                % {"teacher": evaluation.teacher, "quarter": evaluation.round.quarter},
                code="not_employed",
            )


@transaction.atomic
def survey_submit(
    *,
    actor: Any,
    evaluation: Evaluation,
    direction: str,
    scores: dict[int, int],
    comment: str = "",
) -> SurveyResponse:
    """Store one survey (every asked question 1–5, optional comment); once per side and quarter.

    Raises ValidationError for a survey answered already, after the deadline, about a quarter
    the respondent was not employed in, or with missing or off-scale answers.
    """
    _check_respondent(actor, evaluation, direction)
    if timezone.localdate() > evaluation.round.deadline:
        raise ValidationError(
            _("The survey for %(quarter)s closed on %(deadline)s.")
            % {"quarter": evaluation.round.quarter, "deadline": evaluation.round.deadline},
            code="closed",
        )
    questions = list(SurveyQuestion.objects.filter(direction=direction, is_active=True))
    errors = {}
    for question in questions:
        score = scores.get(question.pk)
        if score not in range(1, 6):
            errors[f"q_{question.pk}"] = [_("Choose an answer from 1 to 5.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                evaluation=evaluation,
                direction=direction,
                respondent=actor,
                comment=(comment or "").strip(),
            )
    except IntegrityError:
        raise ValidationError(
            _("This survey was already answered for %(quarter)s.")
            % {"quarter": evaluation.round.quarter},
            code="answered",
        ) from None
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, question=question, score=scores[question.pk])
        for question in questions
    )
    # The scores stay out of the audit trail: only center staff may read single answers.
    audit_record(actor=actor, action="evaluations.survey.answered", target=response)
    return response

"""The evaluations section of "export my data" (evaluations are kept as employment records)."""

from typing import Any

from .models import Dimension, Evaluation, EvaluationStatus, SurveyResponse


def export_evaluations(user: Any) -> dict[str, Any]:
    evaluations = (
        Evaluation.objects.filter(teacher__user=user, status=EvaluationStatus.SUBMITTED)
        .select_related("round", "school")
        .order_by("round__starts_on")
    )
    rows = [
        {
            "quarter": evaluation.round.quarter,
            "school": str(evaluation.school),
            **{d.value: getattr(evaluation, f"{d.value}_score") for d in Dimension},
            "overall_comment": evaluation.overall_comment,
            "teacher_response": evaluation.teacher_response,
        }
        for evaluation in evaluations
    ]
    surveys = [
        {
            "quarter": response.evaluation.round.quarter,
            "survey": response.direction,
            "comment": response.comment,
            "answers": {a.question.code: a.score for a in response.answers.all()},
        }
        for response in SurveyResponse.objects.filter(respondent=user)
        .select_related("evaluation__round")
        .prefetch_related("answers__question")
    ]
    data = {}
    if rows:
        data["evaluations"] = rows
    if surveys:
        data["surveys_answered"] = surveys
    return data


def erase_evaluations(user: Any) -> None:
    # Evaluations are employment records kept by law; survey answers stay only as anonymous
    # contributions to the aggregates.
    SurveyResponse.objects.filter(respondent=user).update(respondent=None)

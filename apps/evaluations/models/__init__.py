"""Quarterly evaluations: rounds, rubrics, evaluations, assessments and surveys."""

from .assessments_and_surveys import (
    SchoolAssessment,
    SurveyAnswer,
    SurveyDirection,
    SurveyQuestion,
    SurveyResponse,
)
from .evaluations import (
    SCORE_VALIDATORS,
    SCORES,
    Dimension,
    Evaluation,
    EvaluationReminder,
    EvaluationRound,
    EvaluationStatus,
    ReminderKind,
    Rubric,
    RubricLevel,
)

__all__ = [
    "SCORES",
    "SCORE_VALIDATORS",
    "Dimension",
    "Evaluation",
    "EvaluationReminder",
    "EvaluationRound",
    "EvaluationStatus",
    "ReminderKind",
    "Rubric",
    "RubricLevel",
    "SchoolAssessment",
    "SurveyAnswer",
    "SurveyDirection",
    "SurveyQuestion",
    "SurveyResponse",
]

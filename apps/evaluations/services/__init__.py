"""Writes for quarterly evaluations, assessments and surveys."""

from .assessments import school_assessment_save
from .evaluations import evaluation_reopen, evaluation_respond, evaluation_save
from .rounds import (
    RoundOpened,
    evaluation_reminders_send,
    evaluation_round_open,
    evaluation_round_open_due,
)
from .surveys import survey_submit

__all__ = [
    "RoundOpened",
    "evaluation_reminders_send",
    "evaluation_reopen",
    "evaluation_respond",
    "evaluation_round_open",
    "evaluation_round_open_due",
    "evaluation_save",
    "school_assessment_save",
    "survey_submit",
]

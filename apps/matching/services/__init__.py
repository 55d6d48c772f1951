"""Writes of the matching app: runs (start, claim, execute, fail) and pushed suggestions."""

from .recommendations import (
    recommendation_apply,
    recommendation_decline,
    recommendation_dismiss,
    recommendation_invite,
    recommendations_mark_applied,
    recommendations_push,
)
from .runs import (
    RUN_IN_PROGRESS,
    incremental_run_start,
    match_run_check,
    match_run_claim,
    match_run_execute,
    match_run_fail,
    match_run_start,
    match_run_start_scheduled,
    match_runs_fail_abandoned,
    match_runs_prune,
)

__all__ = [
    "RUN_IN_PROGRESS",
    "incremental_run_start",
    "match_run_check",
    "match_run_claim",
    "match_run_execute",
    "match_run_fail",
    "match_run_start",
    "match_run_start_scheduled",
    "match_runs_fail_abandoned",
    "match_runs_prune",
    "recommendation_apply",
    "recommendation_decline",
    "recommendation_dismiss",
    "recommendation_invite",
    "recommendations_mark_applied",
    "recommendations_push",
]

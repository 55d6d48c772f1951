"""The matching section of "export my data" and account deletion."""

from typing import Any

from .models import MatchSuggestion, Recommendation


def export_matching(user: Any) -> dict[str, Any]:
    recommendations = Recommendation.objects.filter(teacher__user=user).select_related(
        "vacancy", "vacancy__school"
    )
    rows = [
        {
            "vacancy": recommendation.vacancy.title,
            "school": str(recommendation.vacancy.school),
            "kind": recommendation.kind,
            "status": recommendation.status,
            "score": str(recommendation.score),
            "components": recommendation.components,
            "suggested_at": recommendation.pushed_at.isoformat(),
            "invited_at": recommendation.invited_at.isoformat()
            if recommendation.invited_at
            else None,
            "message": recommendation.message,
        }
        for recommendation in recommendations
    ]
    return {"suggestions": rows} if rows else {}


def erase_matching(user: Any) -> None:
    # Suggestions are derived data with no retention duty: they go with the account.
    Recommendation.objects.filter(teacher__user=user).delete()
    MatchSuggestion.objects.filter(teacher__user=user).delete()

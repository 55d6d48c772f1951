"""Reads for the center's assessments of schools."""

from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from apps.schools.models import School
from apps.schools.selectors import school_for_user

from ..models import Evaluation, EvaluationRound, EvaluationStatus, SchoolAssessment


def assessment_schools_for_round(
    *, round: EvaluationRound, school_name: str = "", district: Any = None
) -> QuerySet[School]:
    """Return the schools that employed foreign teachers in the round, with counts (center)."""
    in_round = Evaluation.objects.filter(round=round)
    schools = School.objects.filter(pk__in=in_round.values("school_id"))
    if school_name:
        schools = schools.filter(
            Q(name_zh_hans__icontains=school_name) | Q(name_en__icontains=school_name)
        )
    if district is not None:
        schools = schools.filter(district=district)
    assessed = SchoolAssessment.objects.filter(round=round, school=OuterRef("pk"))
    # Counted per row shown (correlated subqueries, evaluated after the page's LIMIT), not by
    # grouping every school of the round before sorting and counting them.
    return (
        schools.select_related("district")
        .annotate(
            due=_count(in_round.filter(school=OuterRef("pk"))),
            done=_count(in_round.filter(school=OuterRef("pk"), status=EvaluationStatus.SUBMITTED)),
            assessed=Exists(assessed),
        )
        .order_by("district__sort_order", "name", "pk")
    )


def _count(evaluations: QuerySet[Evaluation]) -> Coalesce:
    rows = evaluations.order_by().values("school_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def assessment_for_round_school(
    *, round: EvaluationRound, school: School
) -> SchoolAssessment | None:
    """Return the school's assessment for the round, if made."""
    return (
        SchoolAssessment.objects.filter(round=round, school=school)
        .select_related("assessed_by")
        .first()
    )


def assessment_list_for_school(*, user: Any) -> QuerySet[SchoolAssessment]:
    """Return the assessments of the user's own school, latest quarter first."""
    school = school_for_user(user)
    if school is None:
        return SchoolAssessment.objects.none()
    return (
        SchoolAssessment.objects.filter(school=school)
        .select_related("round")
        .order_by("-round__starts_on")
    )

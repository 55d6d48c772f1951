"""Reads for evaluations: who may see which evaluation is decided here, once."""

from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from apps.schools.selectors import school_for_user, schools_visible_to_bureau
from apps.teachers.models import Teacher
from apps.teachers.selectors import teacher_for_user

from ..models import (
    Evaluation,
    EvaluationRound,
    EvaluationStatus,
    Rubric,
    RubricLevel,
    SurveyDirection,
    SurveyResponse,
)


def rubric_current() -> Rubric | None:
    """Return the published rubric with the highest version (new evaluations use it)."""
    return Rubric.objects.filter(is_published=True).order_by("-version").first()


def rubric_levels(*, rubric: Rubric | None) -> dict[str, list[RubricLevel]]:
    """Return the rubric's levels per dimension code, score 1 to 5."""
    levels: dict[str, list[RubricLevel]] = {}
    if rubric is None:
        return levels
    for level in RubricLevel.objects.filter(rubric=rubric).order_by("dimension", "score"):
        levels.setdefault(level.dimension, []).append(level)
    return levels


def late_q(today: date) -> Q:
    """Still open after its round's deadline."""
    return Q(status=EvaluationStatus.DRAFT, round__deadline__lt=today)


def open_q(today: date) -> Q:
    """Open and not yet late."""
    return Q(status=EvaluationStatus.DRAFT, round__deadline__gte=today)


def _with_details(evaluations: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    return evaluations.select_related(
        "round", "teacher", "school", "school__district", "employment"
    )


STATES = {"open", "late", "done"}


def evaluation_list_for_school(
    *, user: Any, today: date, state: str = "", round: EvaluationRound | None = None
) -> QuerySet[Evaluation]:
    """Return the evaluations due from the user's school (open, late or done), latest first."""
    school = school_for_user(user)
    if school is None:
        return Evaluation.objects.none()
    evaluations = Evaluation.objects.filter(school=school)
    if state == "open":
        evaluations = evaluations.filter(open_q(today))
    elif state == "late":
        evaluations = evaluations.filter(late_q(today))
    elif state == "done":
        evaluations = evaluations.filter(status=EvaluationStatus.SUBMITTED)
    if round is not None:
        evaluations = evaluations.filter(round=round)
    answered = SurveyResponse.objects.filter(
        evaluation=OuterRef("pk"), direction=SurveyDirection.SCHOOL_ABOUT_TEACHER
    )
    return (
        _with_details(evaluations)
        .annotate(survey_answered=Exists(answered))
        .order_by("-round__starts_on", "teacher__legal_name", "pk")
    )


def evaluation_counts_for_school(*, school: Any, today: date) -> dict[str, int]:
    """Count the school's open, late and done evaluations (dashboard, list tabs)."""
    return Evaluation.objects.filter(school=school).aggregate(
        open=Count("pk", filter=open_q(today)),
        late=Count("pk", filter=late_q(today)),
        done=Count("pk", filter=Q(status=EvaluationStatus.SUBMITTED)),
    )


def evaluation_get_for_school(*, user: Any, code: Any) -> Evaluation:
    """Return one evaluation due from the user's school; 404 for any other school's."""
    school = school_for_user(user)
    evaluation = (
        _with_details(Evaluation.objects.filter(school=school, code=code)).first()
        if school is not None
        else None
    )
    if evaluation is None:
        raise Http404
    return evaluation


def evaluation_list_for_teacher(*, user: Any) -> QuerySet[Evaluation]:
    """Return the signed-in teacher's own submitted evaluations, latest quarter first."""
    teacher = teacher_for_user(user=user)
    if teacher is None:
        return Evaluation.objects.none()
    return _with_details(
        Evaluation.objects.filter(teacher=teacher, status=EvaluationStatus.SUBMITTED)
    ).order_by("-round__starts_on", "school__name", "pk")


def evaluation_get_for_teacher(*, user: Any, code: Any) -> Evaluation:
    """Return one of the teacher's own submitted evaluations; 404 otherwise (drafts too)."""
    evaluation = evaluation_list_for_teacher(user=user).filter(code=code).first()
    if evaluation is None:
        raise Http404
    return evaluation


def teacher_survey_list(*, user: Any, today: date) -> QuerySet[Evaluation]:
    """Return the teacher's (school, quarter) pairs whose survey is open, marked if answered."""
    teacher = teacher_for_user(user=user)
    if teacher is None:
        return Evaluation.objects.none()
    answered = SurveyResponse.objects.filter(
        evaluation=OuterRef("pk"), direction=SurveyDirection.TEACHER_ABOUT_SCHOOL
    )
    return (
        Evaluation.objects.filter(teacher=teacher, round__deadline__gte=today)
        .select_related("round", "school")
        .annotate(survey_answered=Exists(answered))
        .order_by("-round__starts_on", "school__name")
    )


def evaluation_get_for_teacher_survey(*, user: Any, code: Any) -> Evaluation:
    """Return a (school, quarter) pair of the teacher's for the survey; 404 for anyone else's."""
    teacher = teacher_for_user(user=user)
    evaluation = (
        Evaluation.objects.filter(teacher=teacher, code=code)
        .select_related("round", "school", "teacher")
        .first()
        if teacher is not None
        else None
    )
    if evaluation is None:
        raise Http404
    return evaluation


def evaluations_late(
    *,
    today: date,
    district: Any = None,
    school_name: str = "",
    round: EvaluationRound | None = None,
    schools: QuerySet | None = None,
) -> QuerySet[Evaluation]:
    """Return the late evaluations, filtered; `schools` limits them to a jurisdiction."""
    evaluations = Evaluation.objects.filter(late_q(today))
    if schools is not None:
        evaluations = evaluations.filter(school__in=schools)
    if district is not None:
        evaluations = evaluations.filter(school__district=district)
    if school_name:
        evaluations = evaluations.filter(
            Q(school__name_zh_hans__icontains=school_name)
            | Q(school__name_en__icontains=school_name)
        )
    if round is not None:
        evaluations = evaluations.filter(round=round)
    # The list shows the teacher's name only: fetched for the page's rows (one indexed query)
    # instead of joining every teacher row into the sort of all late evaluations.
    teachers = Teacher.objects.only("pk", "legal_name")
    return (
        evaluations.select_related("round", "school", "school__district")
        .prefetch_related(Prefetch("teacher", queryset=teachers))
        .order_by("round__deadline", "school__district__sort_order", "school__name", "pk")
    )


def evaluations_late_for_bureau(*, user: Any, today: date, **filters: Any) -> QuerySet[Evaluation]:
    """Return the late evaluations at schools in the bureau viewer's jurisdiction."""
    return evaluations_late(today=today, schools=schools_visible_to_bureau(user), **filters)


def evaluations_late_count(*, today: date, schools: QuerySet | None = None) -> int:
    """Count late evaluations (center work queue; bureau dashboard with `schools`)."""
    evaluations = Evaluation.objects.filter(late_q(today))
    if schools is not None:
        evaluations = evaluations.filter(school__in=schools)
    return evaluations.count()


def center_queue_counts(*, today: date) -> dict[str, int]:
    """Count late evaluations and this year's serious incidents in one query (center queue)."""
    latest = EvaluationRound.objects.order_by("-starts_on").values("pk")[:4]
    return Evaluation.objects.aggregate(
        late=Count("pk", filter=late_q(today)),
        incidents=Count("pk", filter=Q(serious_incident=True, round__in=latest)),
    )


def evaluation_get_for_center(*, code: Any) -> Evaluation:
    """Return any evaluation (center staff see everything); 404 if none."""
    evaluation = _with_details(Evaluation.objects.filter(code=code)).first()
    if evaluation is None:
        raise Http404
    return evaluation


def round_list() -> QuerySet[EvaluationRound]:
    """Return every round, latest quarter first."""
    return EvaluationRound.objects.order_by("-starts_on")

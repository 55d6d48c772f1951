"""Reads for evaluations: who may see which evaluation is decided here, once."""

from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from apps.schools.selectors import bureau_jurisdiction_q, school_for_user
from apps.teachers.models import Teacher
from apps.teachers.selectors import teacher_for_user

from ..models import (
    Dimension,
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
_ROUND_FIELDS = ("round__quarter", "round__starts_on", "round__deadline")


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
    # The list shows the quarter, the teacher's name and the state: no wide or encrypted
    # columns (the teacher's passport number) for a page of rows.
    return (
        evaluations.select_related("round", "teacher")
        .only("code", "status", "round", "teacher__legal_name", *_ROUND_FIELDS)
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


def teacher_evaluation_lists(
    *, teacher: Teacher, today: date
) -> tuple[list[Evaluation], list[Evaluation]]:
    """Return the teacher's submitted evaluations, and the (school, quarter) pairs whose survey
    is still open (marked if answered), latest quarter first; one query, only what the page shows.
    """
    answered = SurveyResponse.objects.filter(
        evaluation=OuterRef("pk"), direction=SurveyDirection.TEACHER_ABOUT_SCHOOL
    )
    rows = list(
        Evaluation.objects.filter(teacher=teacher)
        .filter(Q(status=EvaluationStatus.SUBMITTED) | Q(round__deadline__gte=today))
        .select_related("round", "school")
        .only(
            "code",
            "status",
            "round",
            "school",
            "law_compliance_score",
            "teaching_duties_score",
            "daily_conduct_score",
            "teacher_response",
            *_ROUND_FIELDS,
            "school__name",
            "school__name_en",
            "school__name_zh_hans",
        )
        .annotate(survey_answered=Exists(answered))
        .order_by("-round__starts_on", "school__name", "pk")
    )
    evaluations = [row for row in rows if row.status == EvaluationStatus.SUBMITTED]
    surveys = [row for row in rows if row.round.deadline >= today]
    return evaluations, surveys


def evaluation_get_for_teacher(*, user: Any, code: Any) -> Evaluation:
    """Return one of the teacher's own submitted evaluations; 404 otherwise (drafts too)."""
    evaluation = evaluation_list_for_teacher(user=user).filter(code=code).first()
    if evaluation is None:
        raise Http404
    return evaluation


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


# The long texts of an evaluation (comments, incident, responses).
_TEXTS = [
    *(f"{dimension.value}_comment" for dimension in Dimension),
    "overall_comment",
    "incident_description",
    "reopen_reason",
    "teacher_response",
]


def evaluations_late_for_bureau(*, user: Any, today: date, **filters: Any) -> QuerySet[Evaluation]:
    """Return the late evaluations at schools in the bureau viewer's jurisdiction."""
    # A bureau sees no teacher's name and no comment (evaluations/late_list.html).
    return (
        evaluations_late(today=today, **filters)
        .filter(bureau_jurisdiction_q(user))
        .prefetch_related(None)
        .defer(*_TEXTS)
    )


def evaluations_late_count(*, today: date, schools: QuerySet | None = None) -> int:
    """Count late evaluations (center work queue; bureau dashboard with `schools`)."""
    evaluations = Evaluation.objects.filter(late_q(today))
    if schools is not None:
        evaluations = evaluations.filter(school__in=schools)
    return evaluations.count()


def center_queue_counts(*, today: date) -> dict[str, int]:
    """Count late evaluations and this year's serious incidents (center queue)."""
    latest = EvaluationRound.objects.order_by("-starts_on").values("pk")[:4]
    # Two counts that each read only their rows (drafts by the status index), not one pass
    # joining every evaluation to its round (3 ms at city scale against 1).
    return {
        "late": evaluations_late_count(today=today),
        "incidents": Evaluation.objects.filter(serious_incident=True, round__in=latest).count(),
    }


def evaluation_get_for_center(*, code: Any) -> Evaluation:
    """Return any evaluation (center staff see everything); 404 if none."""
    evaluation = _with_details(Evaluation.objects.filter(code=code)).first()
    if evaluation is None:
        raise Http404
    return evaluation


def round_list() -> QuerySet[EvaluationRound]:
    """Return every round, latest quarter first."""
    return EvaluationRound.objects.order_by("-starts_on")

"""The demo seed: four past quarters with a realistic mix, and a second run changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Avg, Count, F, Q

from apps.credit.models import EvaluationResult
from apps.evaluations.models import (
    Evaluation,
    EvaluationRound,
    SchoolAssessment,
    SurveyDirection,
    SurveyResponse,
)

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_four_quarters_and_is_idempotent():
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())

    assert list(
        EvaluationRound.objects.order_by("starts_on").values_list("quarter", flat=True)
    ) == [
        "2025Q4",
        "2026Q1",
        "2026Q2",
        "2026Q3",
    ]
    stats = Evaluation.objects.aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(status="submitted")),
        incidents=Count("pk", filter=Q(serious_incident=True)),
        average=Avg("teaching_duties_score"),
    )
    assert stats["total"] > 100
    assert 0.8 < stats["submitted"] / stats["total"] < 0.98  # some are missing
    late = Evaluation.objects.filter(
        status="submitted", submitted_at__date__gt=F("round__deadline")
    )
    assert late.exists()
    assert 3.3 < stats["average"] < 4.3
    assert EvaluationResult.objects.count() == stats["submitted"]
    teacher_answers = SurveyResponse.objects.filter(direction=SurveyDirection.TEACHER_ABOUT_SCHOOL)
    assert 0.5 < teacher_answers.count() / stats["total"] < 0.7
    assert SchoolAssessment.objects.exists()
    assert stats["incidents"] == 3
    assert Evaluation.objects.filter(
        school__memberships__user__email="school.lead@demo.hz-waijiao.cn"
    ).exists()

    before = (Evaluation.objects.count(), SurveyResponse.objects.count())
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())
    assert (Evaluation.objects.count(), SurveyResponse.objects.count()) == before

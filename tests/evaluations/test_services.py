from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from apps.core.models import AuditEvent
from apps.credit.models import EvaluationResult
from apps.evaluations.models import Evaluation, EvaluationStatus
from apps.evaluations.services import (
    evaluation_reopen,
    evaluation_respond,
    evaluation_save,
)
from apps.notifications.models import Notification
from tests.schools.factories import SchoolMembershipFactory

from .factories import GOOD, evaluation_for, submitted


@pytest.fixture
def evaluation(employment_a):
    return evaluation_for(employment_a)


def test_a_draft_saves_partially_and_submission_feeds_the_star_level(
    evaluation, liaison_a, teacher_x
):
    colleague = SchoolMembershipFactory(school=evaluation.school).user
    evaluation_save(actor=colleague, evaluation=evaluation, values={"law_compliance_score": 3})
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT
    assert evaluation.law_compliance_score == 3

    submitted(evaluation, liaison_a)

    result = EvaluationResult.objects.get(source_code=evaluation.code)
    assert result.teacher_id == teacher_x.pk
    assert result.teaching_duties == Decimal(5)
    assert result.quarter_start == evaluation.round.starts_on
    assert evaluation.submitted_by == liaison_a
    assert AuditEvent.objects.filter(
        action="evaluations.evaluation.submitted", target_id=str(evaluation.pk)
    ).exists()
    # The teacher hears of it in their own language.
    assert Notification.objects.filter(recipient=teacher_x.user, kind="evaluations").exists()


def test_submitting_needs_every_score_and_scores_must_be_on_the_rubric(evaluation, liaison_a):
    with pytest.raises(ValidationError) as missing:
        evaluation_save(
            actor=liaison_a, evaluation=evaluation, values={"law_compliance_score": 4}, submit=True
        )
    assert "teaching_duties_score" in missing.value.error_dict

    with pytest.raises(ValidationError) as off_scale:
        evaluation_save(
            actor=liaison_a, evaluation=evaluation, values=GOOD | {"daily_conduct_score": 6}
        )
    assert "6 is not a score on the rubric" in str(
        off_scale.value.error_dict["daily_conduct_score"]
    )
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT
    assert evaluation.law_compliance_score is None


def test_a_submitted_evaluation_cannot_be_edited(evaluation, liaison_a):
    submitted(evaluation, liaison_a)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        evaluation_save(
            actor=liaison_a, evaluation=evaluation, values=GOOD | {"overall_comment": "x"}
        )
    evaluation.refresh_from_db()
    assert evaluation.overall_comment == GOOD["overall_comment"]


def test_a_serious_incident_needs_a_description_and_tells_the_center_at_once(
    evaluation, liaison_a, center_user
):
    with pytest.raises(ValidationError) as error:
        evaluation_save(
            actor=liaison_a, evaluation=evaluation, values=GOOD | {"serious_incident": True}
        )
    assert "incident_description" in error.value.error_dict

    values = GOOD | {"serious_incident": True, "incident_description": "Left the class alone."}
    evaluation_save(actor=liaison_a, evaluation=evaluation, values=values)
    evaluation_save(actor=liaison_a, evaluation=evaluation, values=values)  # saved again: no repeat

    told = Notification.objects.filter(recipient=center_user, kind="evaluations.incident")
    assert told.count() == 1
    assert told.get().body == "Left the class alone."


def test_another_school_cannot_write_and_a_second_evaluation_is_refused(evaluation, liaison_b):
    with pytest.raises(PermissionDenied):
        evaluation_save(actor=liaison_b, evaluation=evaluation, values=GOOD, submit=True)

    duplicate = Evaluation(
        round=evaluation.round,
        employment=evaluation.employment,
        school=evaluation.school,
        teacher=evaluation.teacher,
    )
    with pytest.raises(ValidationError, match="already has an evaluation of this teacher"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_the_center_reopens_with_a_reason_and_the_stars_forget_the_scores(
    evaluation, liaison_a, center_user
):
    submitted(evaluation, liaison_a)
    with pytest.raises(ValidationError):
        evaluation_reopen(actor=center_user, evaluation=evaluation, reason="  ")
    with pytest.raises(PermissionDenied):
        evaluation_reopen(actor=liaison_a, evaluation=evaluation, reason="mine")

    evaluation_reopen(actor=center_user, evaluation=evaluation, reason="Scores swapped by mistake")

    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT
    assert not EvaluationResult.objects.filter(source_code=evaluation.code).exists()
    event = AuditEvent.objects.get(action="evaluations.evaluation.reopened")
    assert event.reason == "Scores swapped by mistake" and event.actor == center_user
    assert Notification.objects.filter(
        recipient=liaison_a, body="Scores swapped by mistake"
    ).exists()
    # The school can correct and submit again.
    submitted(evaluation, liaison_a)
    assert EvaluationResult.objects.filter(source_code=evaluation.code).exists()


def test_the_teacher_responds_once_to_a_submitted_evaluation(
    evaluation, liaison_a, teacher_x, teacher_y
):
    with pytest.raises(ValidationError):
        evaluation_respond(actor=teacher_x.user, evaluation=evaluation, text="Too early")
    submitted(evaluation, liaison_a)
    with pytest.raises(PermissionDenied):
        evaluation_respond(actor=teacher_y.user, evaluation=evaluation, text="Not mine")

    evaluation_respond(actor=teacher_x.user, evaluation=evaluation, text="Thank you!")
    with pytest.raises(ValidationError, match="already responded"):
        evaluation_respond(actor=teacher_x.user, evaluation=evaluation, text="Again")
    evaluation.refresh_from_db()
    assert evaluation.teacher_response == "Thank you!"
    assert Notification.objects.filter(recipient=liaison_a, kind="evaluations").exists()


def test_export_my_data_holds_submitted_evaluations_and_erasure_detaches_surveys(
    evaluation, liaison_a, teacher_x
):
    from apps.core.personal_data import personal_data_export
    from apps.evaluations.models import SurveyDirection, SurveyQuestion, SurveyResponse
    from apps.evaluations.personal_data import erase_evaluations
    from apps.evaluations.services import survey_submit

    assert not personal_data_export(teacher_x.user).sections.get("evaluations")
    submitted(evaluation, liaison_a)
    scores = {
        q.pk: 4
        for q in SurveyQuestion.objects.filter(direction=SurveyDirection.TEACHER_ABOUT_SCHOOL)
    }
    with time_machine.travel(evaluation.round.deadline):
        survey_submit(
            actor=teacher_x.user,
            evaluation=evaluation,
            direction=SurveyDirection.TEACHER_ABOUT_SCHOOL,
            scores=scores,
        )
    data = personal_data_export(teacher_x.user).sections["evaluations"]
    assert data["evaluations"][0]["teaching_duties"] == 5
    assert data["surveys_answered"][0]["answers"]["overall"] == 4

    erase_evaluations(teacher_x.user)
    assert SurveyResponse.objects.get().respondent is None

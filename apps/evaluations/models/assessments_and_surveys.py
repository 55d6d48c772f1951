"""The center's assessments of schools and the two-way satisfaction surveys."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .evaluations import SCORE_VALIDATORS, Evaluation, EvaluationRound


class SchoolAssessment(models.Model):
    """The center's assessment of one school's management of its foreign teachers, per quarter."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(
        EvaluationRound,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    score = models.PositiveSmallIntegerField(_("score"), validators=SCORE_VALIDATORS)
    comment = models.TextField(_("comment"), blank=True)
    indicators = models.JSONField(
        _("objective indicators"),
        default=dict,
        blank=True,
        help_text=_("The indicators as computed when the assessment was saved."),
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("assessed at"), auto_now=True)

    class Meta:
        verbose_name = _("school assessment")
        verbose_name_plural = _("school assessments")
        ordering = ["-round__starts_on", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "school"],
                name="evaluations_one_assessment_per_school_round",
                violation_error_message=_("This school was already assessed for this quarter."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5),
                name="evaluations_assessment_score",
                violation_error_message=_("The assessment score must be from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id and self.round} · {self.school}"


class SurveyDirection(models.TextChoices):
    TEACHER_ABOUT_SCHOOL = "teacher_school", _("Teacher about the school")
    SCHOOL_ABOUT_TEACHER = "school_teacher", _("School about the teacher")


class SurveyQuestion(models.Model):
    """One satisfaction question (1–5), edited by center staff in both languages."""

    code = models.SlugField(_("code"), max_length=40)
    direction = models.CharField(_("survey"), max_length=20, choices=SurveyDirection.choices)
    text = models.CharField(_("question"), max_length=300)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("asked"), default=True)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["direction", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "code"],
                name="evaluations_question_code_once",
                violation_error_message=_("This survey already has a question with this code."),
            )
        ]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    """One person's answers to one survey about one (employment, school) of one round."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.PROTECT,
        related_name="survey_responses",
        help_text=_("The (teacher, school, quarter) the survey is about."),
    )
    direction = models.CharField(_("survey"), max_length=20, choices=SurveyDirection.choices)
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "direction"],
                name="evaluations_survey_answered_once",
                violation_error_message=_("This survey was already answered."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} · {self.evaluation_id}"


class SurveyAnswer(models.Model):
    """One 1–5 answer to one question."""

    response = models.ForeignKey(
        SurveyResponse, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        SurveyQuestion, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"), validators=SCORE_VALIDATORS)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"],
                name="evaluations_answer_once",
                violation_error_message=_("This question was already answered in this survey."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5),
                name="evaluations_answer_score",
                violation_error_message=_("Choose an answer from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score}"

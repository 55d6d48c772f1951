"""Star levels: quarterly evaluation scores, the editable rules, current level, history."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(5)]


class Dimension(models.TextChoices):
    """The three dimensions a school scores a foreign teacher on each quarter."""

    LAW_COMPLIANCE = "law_compliance", _("law and rule compliance")
    TEACHING_DUTIES = "teaching_duties", _("teaching duties")
    DAILY_CONDUCT = "daily_conduct", _("conduct in daily life")


class EvaluationResult(models.Model):
    """One submitted quarterly evaluation's scores, as the evaluations app reports them."""

    source_code = models.UUIDField(_("evaluation code"), unique=True)
    teacher = models.ForeignKey(
        "teachers.Teacher",
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="evaluation_results",
    )
    quarter_start = models.DateField(_("quarter"))
    law_compliance = models.DecimalField(
        _("law and rule compliance"), max_digits=3, decimal_places=2, validators=SCORE_VALIDATORS
    )
    teaching_duties = models.DecimalField(
        _("teaching duties"), max_digits=3, decimal_places=2, validators=SCORE_VALIDATORS
    )
    daily_conduct = models.DecimalField(
        _("conduct in daily life"), max_digits=3, decimal_places=2, validators=SCORE_VALIDATORS
    )
    serious_incident = models.BooleanField(_("serious incident"), default=False)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        ordering = ["teacher", "-quarter_start"]
        indexes = [models.Index(fields=["teacher", "quarter_start"])]

    def __str__(self) -> str:
        return f"{self.teacher} {self.quarter_start:%Y-%m}"


class StarRule(models.Model):
    """The thresholds a teacher's last quarters must meet for one star level (editable)."""

    level = models.PositiveSmallIntegerField(
        _("star level"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    min_mean = models.DecimalField(
        _("minimum mean score"), max_digits=3, decimal_places=2, validators=SCORE_VALIDATORS
    )
    min_lowest_dimension = models.DecimalField(
        _("minimum score of the lowest dimension"),
        max_digits=3,
        decimal_places=2,
        validators=SCORE_VALIDATORS,
    )
    max_incidents = models.PositiveSmallIntegerField(
        _("maximum quarters with a serious incident"), default=0
    )
    min_quarters = models.PositiveSmallIntegerField(
        _("minimum evaluated quarters"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("star rule")
        verbose_name_plural = _("star rules")
        ordering = ["-level"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="credit_starrule_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        return _("%(level)s stars") % {"level": self.level}


class TeacherStarLevel(models.Model):
    """A teacher's current star level (empty: no stars) and the codes that explain it."""

    teacher = models.OneToOneField(
        "teachers.Teacher",
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="star_level",
    )
    level = models.PositiveSmallIntegerField(_("star level"), null=True, blank=True)
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("star level")
        verbose_name_plural = _("star levels")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) | models.Q(level__gte=1, level__lte=5),
                name="credit_teacherstarlevel_level_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher}: {self.level or '–'}"


class StarChangeReason(models.TextChoices):
    EVALUATION_SUBMITTED = "evaluation_submitted", _("evaluation submitted")
    EVALUATION_WITHDRAWN = "evaluation_withdrawn", _("evaluation reopened")
    CREDIT_CHANGED = "credit_changed", _("credit record changed")
    RULES_CHANGED = "rules_changed", _("star rules changed")
    RECOMPUTED = "recomputed", _("recomputed")


class StarLevelHistory(models.Model):
    """One change of a teacher's star level, with why and the explanation at that moment."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    teacher = models.ForeignKey(
        "teachers.Teacher",
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="star_history",
    )
    previous_level = models.PositiveSmallIntegerField(_("previous level"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("star level"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=30, choices=StarChangeReason.choices)
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("changed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("star level change")
        verbose_name_plural = _("star level history")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.teacher}: {self.previous_level or '–'} → {self.level or '–'}"

"""Rounds, rubrics, the school's evaluations and their reminders."""

import uuid
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.dates import Quarter

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
SCORES = range(1, 6)


class Dimension(models.TextChoices):
    LAW_COMPLIANCE = "law_compliance", _("Law and rule compliance")
    TEACHING_DUTIES = "teaching_duties", _("Teaching duties")
    DAILY_CONDUCT = "daily_conduct", _("Conduct in daily life")


class EvaluationRound(models.Model):
    """One quarter's round: the evaluations and surveys due for it, and their deadline."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    quarter = models.CharField(_("quarter"), max_length=6, unique=True)
    starts_on = models.DateField(_("quarter start"))
    ends_on = models.DateField(_("quarter end"))
    deadline = models.DateField(_("deadline"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on"))
                & Q(deadline__gt=models.F("ends_on")),
                name="evaluations_round_dates_in_order",
                violation_error_message=_(
                    "A round's quarter must end after it starts, and its deadline must come "
                    "after the quarter's end."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.quarter

    @property
    def period(self) -> Quarter:
        return Quarter.parse(self.quarter)


class Rubric(models.Model):
    """A published version of the scoring rubric; an evaluation keeps the one it was made with."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    note = models.CharField(_("what changed"), max_length=255, blank=True)
    # Kept as a number, not as text, so each reader reads "Copy of version N" in their language.
    copied_from_version = models.PositiveSmallIntegerField(
        _("copied from version"), null=True, blank=True, editable=False
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("New evaluations use the published rubric with the highest version."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["-version"]

    def __str__(self) -> str:
        return str(_("Rubric v%(version)s") % {"version": self.version})

    @property
    def note_text(self) -> str:
        """What changed, in the active language: where it was copied from, then the typed note."""
        copied = (
            _("Copy of version %(version)s") % {"version": self.copied_from_version}
            if self.copied_from_version
            else ""
        )
        return " ".join(str(part) for part in (copied, self.note) if part)


class RubricLevel(models.Model):
    """What one score (1–5) means on one dimension, in both languages."""

    rubric = models.ForeignKey(
        Rubric, verbose_name=_("rubric"), on_delete=models.CASCADE, related_name="levels"
    )
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    score = models.PositiveSmallIntegerField(_("score"), validators=SCORE_VALIDATORS)
    description = models.CharField(_("description"), max_length=300)

    class Meta:
        verbose_name = _("rubric level")
        verbose_name_plural = _("rubric levels")
        ordering = ["rubric", "dimension", "score"]
        constraints = [
            models.UniqueConstraint(
                fields=["rubric", "dimension", "score"],
                name="evaluations_rubric_level_once",
                violation_error_message=_(
                    "This rubric already describes this score for this dimension."
                ),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5),
                name="evaluations_rubric_level_score",
                violation_error_message=_("A rubric level's score must be from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()} {self.score}: {self.description}"


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("evaluation", "Open")
    SUBMITTED = "submitted", pgettext_lazy("evaluation", "Submitted")


def _score_ok(name: str) -> Q:
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 1, f"{name}__lte": 5})


class Evaluation(models.Model):
    """A school's evaluation of one foreign teacher (one employment) for one quarter."""

    TRANSITIONS = {
        EvaluationStatus.DRAFT: {EvaluationStatus.SUBMITTED},
        EvaluationStatus.SUBMITTED: {EvaluationStatus.DRAFT},  # the center reopens
    }

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(
        EvaluationRound,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    employment = models.ForeignKey(
        "employment.Employment",
        verbose_name=_("employment"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    teacher = models.ForeignKey(
        "teachers.Teacher",
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    rubric = models.ForeignKey(
        Rubric,
        verbose_name=_("rubric"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.DRAFT,
        db_index=True,
    )
    law_compliance_score = models.PositiveSmallIntegerField(
        _("law and rule compliance"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    law_compliance_comment = models.TextField(_("comment on law and rule compliance"), blank=True)
    teaching_duties_score = models.PositiveSmallIntegerField(
        _("teaching duties"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    teaching_duties_comment = models.TextField(_("comment on teaching duties"), blank=True)
    daily_conduct_score = models.PositiveSmallIntegerField(
        _("conduct in daily life"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    daily_conduct_comment = models.TextField(_("comment on conduct in daily life"), blank=True)
    overall_comment = models.TextField(_("overall comment"), blank=True)
    serious_incident = models.BooleanField(_("serious incident"), default=False)
    incident_description = models.TextField(_("what happened"), blank=True)
    incident_reported_at = models.DateTimeField(
        _("incident reported to the center at"), null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    teacher_response = models.TextField(_("teacher's response"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-round__starts_on", "school_id", "teacher_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "employment", "school"],
                name="evaluations_one_per_employment_school_round",
                violation_error_message=_(
                    "This school already has an evaluation of this teacher for this quarter."
                ),
            ),
            models.CheckConstraint(
                condition=_score_ok("law_compliance_score")
                & _score_ok("teaching_duties_score")
                & _score_ok("daily_conduct_score"),
                name="evaluations_scores_on_rubric",
                violation_error_message=_("Each score must be from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted")
                | Q(
                    law_compliance_score__isnull=False,
                    teaching_duties_score__isnull=False,
                    daily_conduct_score__isnull=False,
                    submitted_at__isnull=False,
                ),
                name="evaluations_submitted_complete",
                violation_error_message=_(
                    "A submitted evaluation needs a score on every dimension and its "
                    "submission time."
                ),
            ),
            models.CheckConstraint(
                condition=Q(serious_incident=False) | ~Q(incident_description=""),
                name="evaluations_incident_described",
                violation_error_message=_("Describe the serious incident."),
            ),
        ]
        indexes = [models.Index(fields=["school", "round", "status"])]

    def __str__(self) -> str:
        return f"{self.round_id and self.round} · {self.teacher} @ {self.school}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:school_detail", args=[self.code])

    @property
    def is_submitted(self) -> bool:
        return self.status == EvaluationStatus.SUBMITTED

    def is_late_on(self, day: date) -> bool:
        """Open after the round's deadline (needs round loaded)."""
        return not self.is_submitted and day > self.round.deadline

    def scores(self) -> dict[str, int | None]:
        return {d.value: getattr(self, f"{d.value}_score") for d in Dimension}


class ReminderKind(models.TextChoices):
    OPENED = "opened", _("Round opened")
    BEFORE_DEADLINE = "before_deadline", _("Deadline approaching")
    DEADLINE = "deadline", _("Deadline day")


class EvaluationReminder(models.Model):
    """That one person was sent one kind of reminder for one round (sent once only)."""

    round = models.ForeignKey(
        EvaluationRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("reminder"), max_length=20, choices=ReminderKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation reminder")
        verbose_name_plural = _("evaluation reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "kind", "recipient"],
                name="evaluations_reminder_once",
                violation_error_message=_(
                    "This reminder was already sent to this person for this round."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.kind} → {self.recipient_id}"

import uuid
from dataclasses import fields as dataclass_fields
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .engine.components import Weights

# The engine's components, in its order: one editable weight each (MatchingWeights).
WEIGHT_FIELDS = tuple(f.name for f in dataclass_fields(Weights))
NON_NEGATIVE = MinValueValidator(0)


class RunKind(models.TextChoices):
    FULL = "full", _("Full run")
    INCREMENTAL = "incremental", _("Incremental shortlist")
    STABLE = "stable", _("Stable round")


class RunPhase(models.TextChoices):
    """Where a running run is; the run page polls it."""

    WAITING = "waiting", _("Waiting for a worker")
    LOAD = "load", _("Loading teachers and vacancies")
    SCORE = "score", _("Scoring pairs")
    ASSIGN = "assign", _("Solving the assignment")
    STORE = "store", _("Storing results")
    FINISHED = "finished", _("Finished")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Run failed")


class MatchRun(models.Model):
    """One matching computation over the city or one district, and its outcome."""

    # The one declaration of allowed run status changes; core.transitions enforces it.
    # Running → running is a re-claim of a run whose worker died.
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        RunStatus.QUEUED: {RunStatus.RUNNING, RunStatus.FAILED},
        RunStatus.RUNNING: {RunStatus.RUNNING, RunStatus.DONE, RunStatus.FAILED},
        RunStatus.DONE: set(),
        RunStatus.FAILED: set(),
    }

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=RunKind.choices, default=RunKind.FULL)
    district = models.ForeignKey(
        "core.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the whole city."),
    )
    # An incremental run shortlists one vacancy against every teacher, or one teacher against
    # every vacancy.
    vacancy = models.ForeignKey(
        "vacancies.Vacancy",
        verbose_name=_("vacancy"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    teacher = models.ForeignKey(
        "teachers.Teacher",
        verbose_name=_("teacher"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    season_start = models.DateField(_("season from"), null=True, blank=True)
    season_end = models.DateField(_("season to"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    weights = models.JSONField(_("weights"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RunStatus.choices,
        default=RunStatus.QUEUED,
        db_index=True,
    )
    phase = models.CharField(
        _("phase"), max_length=10, choices=RunPhase.choices, default=RunPhase.WAITING
    )
    failure_reason = models.TextField(_("failure reason"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(_("worker task"), max_length=255, blank=True)
    timings = models.JSONField(_("phase timings (seconds)"), default=dict, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    # Stable round: blocking pairs and cluster caveats, as ids the run page turns into text.
    findings = models.JSONField(_("findings"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="running") | models.Q(started_at__isnull=False),
                name="matching_run_running_has_start",
                violation_error_message=_("A running matching run needs the time it started."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["done", "failed"])
                | models.Q(finished_at__isnull=False),
                name="matching_run_finished_has_end",
                violation_error_message=_("A finished matching run needs the time it ended."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="incremental")
                | (models.Q(vacancy__isnull=True) ^ models.Q(teacher__isnull=True)),
                name="matching_run_incremental_has_one_subject",
                violation_error_message=_(
                    "An incremental run is for exactly one teacher or one vacancy."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="stable")
                | models.Q(season_start__isnull=False, season_end__isnull=False),
                name="matching_run_stable_has_season",
                violation_error_message=_(
                    "A stable round needs the first and last day of its season."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(season_start__isnull=True)
                | models.Q(season_end__isnull=True)
                | models.Q(season_start__lte=models.F("season_end")),
                name="matching_run_season_in_order",
                violation_error_message=_("The season must end on or after its first day."),
            ),
        ]

    def __str__(self) -> str:
        # In the reader's zone (the active one), like every other time on the run pages.
        when = f" · {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}" if self.created_at else ""
        return f"{self.get_kind_display()} · {self.scope_label}{when}"

    @property
    def scope_label(self) -> str:
        if self.vacancy_id:
            return str(self.vacancy)
        if self.teacher_id:
            return str(self.teacher)
        return str(self.district.name) if self.district_id else str(_("Whole city"))

    @property
    def in_progress(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)


class MatchSuggestion(models.Model):
    """One teacher on one vacancy's shortlist in a run, and whether the assignment chose them."""

    run = models.ForeignKey(
        MatchRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="suggestions"
    )
    # Derived rows written in bulk (a city run writes ~160k): the ORM cascades deletes, and the
    # database skips a per-row foreign-key trigger that would cost seconds per run.
    teacher = models.ForeignKey(
        "teachers.Teacher",
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    vacancy = models.ForeignKey(
        "vacancies.Vacancy",
        verbose_name=_("vacancy"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    rank = models.PositiveSmallIntegerField(
        _("rank for the vacancy"),
        null=True,
        blank=True,
        help_text=_("Empty: assigned, but outside the vacancy's shortlist."),
    )
    teacher_rank = models.PositiveSmallIntegerField(
        _("rank for the teacher"),
        null=True,
        blank=True,
        help_text=_("Empty: outside the vacancies suggested to the teacher."),
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    components = models.JSONField(_("component values"), default=dict, blank=True)
    assigned = models.BooleanField(_("in the recommended assignment"), default=False)

    class Meta:
        verbose_name = _("match suggestion")
        verbose_name_plural = _("match suggestions")
        ordering = ["run", "vacancy", "rank"]
        # The unique constraint's index serves lookups by (run, teacher).
        indexes = [models.Index(fields=["run", "vacancy", "rank"])]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "teacher", "vacancy"],
                name="matching_suggestion_pair_once",
                violation_error_message=_("A run suggests each teacher–vacancy pair once."),
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0) & models.Q(score__lte=100),
                name="matching_suggestion_score_range",
                violation_error_message=_("A score lies between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=models.Q(rank__isnull=True) | models.Q(rank__gte=1),
                name="matching_suggestion_rank_from_one",
                violation_error_message=_("Ranks start at 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(teacher_rank__isnull=True) | models.Q(teacher_rank__gte=1),
                name="matching_suggestion_teacher_rank_from_one",
                violation_error_message=_("Ranks start at 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} → {self.vacancy} ({self.score})"


class RecommendationKind(models.TextChoices):
    SUGGESTION = "suggestion", _("Suggested candidate")
    PROPOSAL = "proposal", _("Stable-round proposal")


class RecommendationStatus(models.TextChoices):
    PUSHED = "pushed", _("Suggested to the school")
    INVITED = "invited", _("Invited to apply")
    APPLIED = "applied", pgettext_lazy("suggestion status", "Applied")
    DISMISSED = "dismissed", _("Dismissed by the school")
    DECLINED = "declined", _("Declined by the teacher")


class Recommendation(models.Model):
    """A suggested pair the center pushed to a school, and what the school and teacher did."""

    # A pushed pair is invited or dismissed by the school, or closed when the teacher applies
    # (directly or from the suggestion); an invitation ends when the teacher applies or declines.
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        RecommendationStatus.PUSHED: {
            RecommendationStatus.INVITED,
            RecommendationStatus.DISMISSED,
            RecommendationStatus.APPLIED,
        },
        RecommendationStatus.INVITED: {
            RecommendationStatus.APPLIED,
            RecommendationStatus.DECLINED,
        },
        RecommendationStatus.APPLIED: set(),
        RecommendationStatus.DISMISSED: set(),
        RecommendationStatus.DECLINED: set(),
    }

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=RecommendationKind.choices,
        default=RecommendationKind.SUGGESTION,
    )
    # The explanation is copied here, so the run may go (an incremental run goes with its
    # vacancy or teacher) without taking what the school was shown.
    run = models.ForeignKey(
        MatchRun,
        verbose_name=_("run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    teacher = models.ForeignKey(
        "teachers.Teacher",
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    vacancy = models.ForeignKey(
        "vacancies.Vacancy",
        verbose_name=_("vacancy"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.PUSHED,
        db_index=True,
    )
    # A copy of the explanation's inputs, so the school's page does not depend on the run's rows.
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    components = models.JSONField(_("component values"), default=dict, blank=True)
    weights = models.JSONField(_("weights"), default=dict, blank=True)
    pushed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pushed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pushed_at = models.DateTimeField(_("pushed at"), auto_now_add=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    message = models.TextField(_("message to the teacher"), max_length=2000, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "vacancy"],
                name="matching_recommendation_pair_once",
                violation_error_message=_("This teacher was already suggested for this vacancy."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["invited", "declined"])
                | models.Q(invited_at__isnull=False),
                name="matching_recommendation_invited_has_time",
                violation_error_message=_("An invitation needs the time it was sent."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="applied") | models.Q(application__isnull=False),
                name="matching_recommendation_applied_has_application",
                violation_error_message=_("An applied suggestion needs its application."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} → {self.vacancy}"


class MatchingWeights(models.Model):
    """The score components' relative weights, edited by center staff; one row.

    Every run copies them into MatchRun.weights when it is queued, so a run's ranking can always
    be explained by the weights it used, whatever they are now.
    """

    SINGLETON_PK = 1

    subject = models.FloatField(
        _("subject fit"), default=Weights.subject, validators=[NON_NEGATIVE]
    )
    level = models.FloatField(_("level fit"), default=Weights.level, validators=[NON_NEGATIVE])
    qualifications = models.FloatField(
        _("qualifications"), default=Weights.qualifications, validators=[NON_NEGATIVE]
    )
    experience = models.FloatField(
        _("experience"), default=Weights.experience, validators=[NON_NEGATIVE]
    )
    district = models.FloatField(
        _("district preference"), default=Weights.district, validators=[NON_NEGATIVE]
    )
    salary = models.FloatField(
        _("salary overlap"), default=Weights.salary, validators=[NON_NEGATIVE]
    )
    start_date = models.FloatField(
        _("start-date fit"), default=Weights.start_date, validators=[NON_NEGATIVE]
    )
    chinese = models.FloatField(
        _("Chinese level"), default=Weights.chinese, validators=[NON_NEGATIVE]
    )
    star_level = models.FloatField(
        _("star level"), default=Weights.star_level, validators=[NON_NEGATIVE]
    )
    red_list = models.FloatField(
        _("commendation"), default=Weights.red_list, validators=[NON_NEGATIVE]
    )
    evaluation = models.FloatField(
        _("evaluation history"), default=Weights.evaluation, validators=[NON_NEGATIVE]
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pk=1),
                name="matching_weights_single_row",
                violation_error_message=_("There is one set of matching weights."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Matching weights"))

    def as_weights(self) -> Weights:
        """The engine's Weights for these values."""
        return Weights(**{name: getattr(self, name) for name in WEIGHT_FIELDS})

    def clean(self) -> None:
        if not any(getattr(self, name) > 0 for name in WEIGHT_FIELDS):
            raise ValidationError(_("Give at least one component a weight above 0."))

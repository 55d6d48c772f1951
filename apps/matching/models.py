import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RunKind(models.TextChoices):
    FULL = "full", _("Full run")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Run failed")


# The one declaration of allowed run status changes; services enforce it. Running → running is a
# re-claim of a run whose worker died.
RUN_TRANSITIONS: dict[str, set[str]] = {
    RunStatus.QUEUED: {RunStatus.RUNNING, RunStatus.FAILED},
    RunStatus.RUNNING: {RunStatus.RUNNING, RunStatus.DONE, RunStatus.FAILED},
    RunStatus.DONE: set(),
    RunStatus.FAILED: set(),
}


class MatchRun(models.Model):
    """One matching computation over the city or one district, and its outcome."""

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
    failure_reason = models.TextField(_("failure reason"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(_("worker task"), max_length=255, blank=True)
    timings = models.JSONField(_("phase timings (seconds)"), default=dict, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
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
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["done", "failed"])
                | models.Q(finished_at__isnull=False),
                name="matching_run_finished_has_end",
            ),
        ]

    def __str__(self) -> str:
        when = f" · {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else ""
        return f"{self.get_kind_display()} · {self.scope_label}{when}"

    @property
    def scope_label(self) -> str:
        return str(self.district.name) if self.district_id else str(_("Whole city"))


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
                fields=["run", "teacher", "vacancy"], name="matching_suggestion_pair_once"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0) & models.Q(score__lte=100),
                name="matching_suggestion_score_range",
            ),
            models.CheckConstraint(
                condition=models.Q(rank__isnull=True) | models.Q(rank__gte=1),
                name="matching_suggestion_rank_from_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} → {self.vacancy} ({self.score})"

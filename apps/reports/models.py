import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def report_file_to(instance, filename: str) -> str:
    # Under a private prefix (files are only served by the download view), named by the build's
    # random code, so a build restarted after a crash writes the same names, not a second set.
    return f"reports/{instance.code.hex}-{filename}"


class ReportBuild(models.Model):
    """One annual report (year, city or district) built on a worker as XLSX and PDF."""

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        BuildStatus.QUEUED: {BuildStatus.RUNNING, BuildStatus.FAILED},
        # running → running: a redelivered or stale build is claimed again (core.jobs).
        BuildStatus.RUNNING: {
            BuildStatus.RUNNING,
            BuildStatus.READY,
            BuildStatus.FAILED,
            BuildStatus.QUEUED,
        },
        BuildStatus.READY: set(),
        BuildStatus.FAILED: set(),
    }

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    district = models.ForeignKey(
        "core.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the whole city."),
    )
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BuildStatus.choices,
        default=BuildStatus.QUEUED,
        db_index=True,
    )
    failure_reason = models.TextField(_("why it failed"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(_("worker task"), max_length=255, blank=True)
    progress = models.PositiveSmallIntegerField(_("steps done"), default=0)
    progress_total = models.PositiveSmallIntegerField(_("steps in all"), default=0)
    fingerprint = models.CharField(_("data fingerprint"), max_length=64, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    xlsx_file = models.FileField(_("XLSX file"), upload_to=report_file_to, blank=True)
    pdf_file = models.FileField(_("PDF file"), upload_to=report_file_to, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("annual report build")
        verbose_name_plural = _("annual report builds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="failed") | ~models.Q(failure_reason=""),
                name="reports_build_failed_has_reason",
                violation_error_message=_("A failed build needs the reason it failed."),
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=models.F("progress_total"))
                | models.Q(progress_total=0),
                name="reports_build_progress_within_total",
                violation_error_message=_("Progress cannot exceed the number of steps."),
            ),
        ]

    def __str__(self) -> str:
        place = str(self.district) if self.district_id else str(_("Whole city"))
        return f"{self.year} · {place}"

    @property
    def is_finished(self) -> bool:
        return self.status in {BuildStatus.READY, BuildStatus.FAILED}

    @property
    def percent_done(self) -> int:
        if self.status == BuildStatus.READY:
            return 100
        if not self.progress_total:
            return 0
        return round(100 * self.progress / self.progress_total)

"""API clients of partner departments, their request log and bulk export jobs."""

import uuid
from pathlib import PurePosixPath
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scopes import Dataset


class ApiClient(models.Model):
    """A partner department's access to the read-only API: scopes, token hash, limits."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    department = models.CharField(_("department"), max_length=200)
    scopes = models.JSONField(_("scopes"), default=list)
    # The token is "hzx_<prefix>_<secret>": the prefix finds the row, the hash proves the secret.
    token_prefix = models.CharField(_("token prefix"), max_length=16, unique=True, editable=False)
    token_hash = models.CharField(_("token hash"), max_length=64, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    ip_allowlist = models.TextField(
        _("IP allow-list"),
        blank=True,
        help_text=_("One address or network (CIDR) per line; empty allows every address."),
    )
    rate_limit_per_minute = models.PositiveIntegerField(
        _("requests per minute"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(10_000)],
    )
    contact = models.CharField(_("contact person"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    rotated_at = models.DateTimeField(_("token issued at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["department", "id"]

    def __str__(self) -> str:
        return self.department

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired


class ApiRequestLog(models.Model):
    """One request an API client made: the audit trail of every exchange."""

    client = models.ForeignKey(
        ApiClient,
        verbose_name=_("API client"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    endpoint = models.CharField(_("endpoint"), max_length=300)
    query = models.CharField(_("query"), max_length=500, blank=True)
    method = models.CharField(_("method"), max_length=10)
    status_code = models.PositiveSmallIntegerField(_("status"))
    rows = models.PositiveIntegerField(_("rows returned"), default=0)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("API request")
        verbose_name_plural = _("API requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["client", "-created_at"], name="exchange_log_client_time")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.method} {self.endpoint} {self.status_code}"


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    JSONL = "jsonl", _("JSON Lines")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def export_file_to(instance, filename: str) -> str:
    # A random name under a private prefix: storage is never served under a public URL.
    return f"exchange-exports/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()[:6]}"


class ExportJob(models.Model):
    """A bulk export of one dataset, generated on a worker and downloaded by its requester."""

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        ExportStatus.QUEUED: {ExportStatus.RUNNING},
        ExportStatus.RUNNING: {ExportStatus.DONE, ExportStatus.FAILED},
        ExportStatus.DONE: set(),
        ExportStatus.FAILED: set(),
    }

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    dataset = models.CharField(_("dataset"), max_length=20, choices=Dataset.choices)
    format = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices)
    # One requester: a partner department's client or a center user (emptied if the user is
    # deleted, so "at most one" is what the database can promise).
    client = models.ForeignKey(
        ApiClient,
        verbose_name=_("API client"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exports",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scopes = models.JSONField(_("scopes"), default=list)
    updated_since = models.DateTimeField(_("changed since"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExportStatus.choices,
        default=ExportStatus.QUEUED,
        db_index=True,
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(_("file"), upload_to=export_file_to, blank=True, max_length=200)
    schema_file = models.FileField(
        _("schema file"), upload_to=export_file_to, blank=True, max_length=200
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(client__isnull=True) | models.Q(requested_by__isnull=True),
                name="exchange_export_one_requester",
                violation_error_message=_("An export has one requester."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_dataset_display()} ({self.get_format_display()})"

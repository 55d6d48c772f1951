"""Writes for the data exchange: API clients and their tokens, the request log, export jobs."""

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.permissions import require_center_staff
from apps.core.services import audit_record, model_snapshot

from .models import ApiClient, ApiRequestLog, ExportFormat, ExportJob, ExportStatus
from .scopes import DATASET_SCOPES, Dataset, Scope
from .selectors import TOKEN_PREFIX, allowed_networks, token_hash

CLIENT_FIELDS = [
    "department",
    "scopes",
    "expires_at",
    "ip_allowlist",
    "rate_limit_per_minute",
    "contact",
]


def _new_token() -> tuple[str, str]:
    """Return (prefix, token): a short public prefix to find the row, then the secret."""
    prefix = secrets.token_hex(6)
    return prefix, f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


def api_client_validate(client: ApiClient) -> None:
    """Check scopes, allow-list and expiry of an unsaved client; raise ValidationError."""
    errors: dict[str, list[str]] = {}
    scopes = client.scopes if isinstance(client.scopes, list) else []
    if not scopes:
        errors["scopes"] = [_("Choose at least one scope.")]
    elif set(scopes) - set(Scope.values):
        errors["scopes"] = [_("Unknown scope.")]
    elif scopes == [Scope.IDENTITY]:
        errors["scopes"] = [_("The identity scope only unmasks numbers: add a dataset scope.")]
    for line in client.ip_allowlist.splitlines():
        try:
            allowed_networks(line)
        except ValueError:
            errors.setdefault("ip_allowlist", []).append(
                _("“%(entry)s” is not an IP address or CIDR network.") % {"entry": line.strip()}
            )
    if client.expires_at and client.expires_at <= timezone.now():
        errors["expires_at"] = [_("The expiry must be in the future.")]
    if errors:
        raise ValidationError(errors)


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    values = {key: value for key, value in values.items() if key in CLIENT_FIELDS}
    if "scopes" in values:
        values["scopes"] = sorted(set(values["scopes"]))
    if "ip_allowlist" in values:
        lines = (line.strip() for line in values["ip_allowlist"].splitlines())
        values["ip_allowlist"] = "\n".join(line for line in lines if line)
    return values


@transaction.atomic
def api_client_create(*, actor: Any, **values: Any) -> tuple[ApiClient, str]:
    """Create a department's API client; return it and its token (shown once, stored hashed)."""
    require_center_staff(actor)
    prefix, token = _new_token()
    client = ApiClient(
        **_normalise(values),
        token_prefix=prefix,
        token_hash=token_hash(token),
        created_by=actor,
        rotated_at=timezone.now(),
    )
    api_client_validate(client)
    client.full_clean()
    client.save()
    audit_record(
        actor=actor,
        action="exchange.client_created",
        target=client,
        after=model_snapshot(client, CLIENT_FIELDS + ["token_prefix"]),
    )
    return client, token


@transaction.atomic
def api_client_update(*, actor: Any, client: ApiClient, **values: Any) -> ApiClient:
    """Change a client's department, scopes, expiry, allow-list or rate limit (not its token)."""
    require_center_staff(actor)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    before = model_snapshot(client, CLIENT_FIELDS)
    for key, value in _normalise(values).items():
        setattr(client, key, value)
    if client.is_revoked:
        raise ValidationError(_("This client is revoked; create a new one instead."))
    api_client_validate(client)
    client.full_clean()
    client.save()
    audit_record(
        actor=actor,
        action="exchange.client_updated",
        target=client,
        before=before,
        after=model_snapshot(client, CLIENT_FIELDS),
    )
    return client


@transaction.atomic
def api_client_rotate(*, actor: Any, client: ApiClient, expires_at: datetime | None = None) -> str:
    """Issue a new token for the client (the old one stops working at once); return it."""
    require_center_staff(actor)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.is_revoked:
        raise ValidationError(_("This client is revoked; create a new one instead."))
    before = model_snapshot(client, ["token_prefix", "expires_at"])
    prefix, token = _new_token()
    client.token_prefix, client.token_hash = prefix, token_hash(token)
    client.rotated_at = timezone.now()
    if expires_at is not None:
        client.expires_at = expires_at
    if client.expires_at <= timezone.now():
        raise ValidationError(
            {"expires_at": [_("The token has expired: give a new expiry with the rotation.")]}
        )
    client.save(update_fields=["token_prefix", "token_hash", "rotated_at", "expires_at"])
    audit_record(
        actor=actor,
        action="exchange.token_rotated",
        target=client,
        before=before,
        after=model_snapshot(client, ["token_prefix", "expires_at"]),
    )
    return token


@transaction.atomic
def api_client_revoke(*, actor: Any, client: ApiClient, reason: str = "") -> ApiClient:
    """Revoke the client's token for good; requests with it get 401 from now on."""
    require_center_staff(actor)
    claimed = ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if claimed == 0:
        raise ValidationError(_("This client is already revoked."))
    client.refresh_from_db()
    audit_record(
        actor=actor,
        action="exchange.client_revoked",
        target=client,
        after={"revoked_at": client.revoked_at.isoformat()},
        reason=reason,
    )
    return client


def api_request_log(
    *,
    client: ApiClient,
    endpoint: str,
    query: str,
    method: str,
    status_code: int,
    rows: int,
    ip_address: str | None,
) -> ApiRequestLog:
    """Write the audit row of one API request."""
    return ApiRequestLog.objects.create(
        client=client,
        endpoint=endpoint[:300],
        query=query[:500],
        method=method[:10],
        status_code=status_code,
        rows=rows,
        ip_address=ip_address,
    )


# --- Bulk exports -------------------------------------------------------------------------


@transaction.atomic
def export_job_request(
    *,
    dataset: str,
    format: str,
    actor: Any = None,
    client: ApiClient | None = None,
    updated_since: datetime | None = None,
) -> ExportJob:
    """Queue an export of a dataset for a center user or an API client holding its scope."""
    from .tasks import export_job_run_task

    if dataset not in Dataset.values or format not in ExportFormat.values:
        raise ValidationError(_("Choose a dataset and a format."))
    if client is not None:
        if not client.is_usable or DATASET_SCOPES[dataset] not in client.scopes:
            raise PermissionDenied
        scopes, requested_by = list(client.scopes), None
    else:
        require_center_staff(actor)
        # The center sees every number in clear: its own exports are unmasked.
        scopes, requested_by = list(Scope.values), actor
    job = ExportJob(
        dataset=dataset,
        format=format,
        client=client,
        requested_by=requested_by,
        scopes=scopes,
        updated_since=updated_since,
    )
    job.full_clean()
    job.save()
    audit_record(
        actor=actor,
        action="exchange.export_requested",
        target=job,
        after={
            "dataset": dataset,
            "format": format,
            "client": str(client.code) if client else None,
            "updated_since": updated_since.isoformat() if updated_since else None,
        },
    )
    job_id = job.pk
    transaction.on_commit(lambda: export_job_run_task.delay(job_id))
    return job


def export_job_run(*, job_id: int) -> bool:
    """Generate a queued export (claimed with a conditional update); False if already taken."""
    from .exports import export_write

    now = timezone.now()
    # A run whose worker died is redelivered (acks_late); past the task time limit it is
    # certainly dead, so the redelivered task may take it over.
    stale = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimed = (
        ExportJob.objects.filter(pk=job_id)
        .filter(
            Q(status=ExportStatus.QUEUED) | Q(status=ExportStatus.RUNNING, started_at__lt=stale)
        )
        .update(status=ExportStatus.RUNNING, started_at=now)
    )
    if claimed == 0:
        return False
    job = ExportJob.objects.get(pk=job_id)
    try:
        rows = export_write(job)
    except Exception as error:
        ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).update(
            status=ExportStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        audit_record(actor=None, action="exchange.export_failed", target=job, reason=str(error))
        raise
    ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).update(
        status=ExportStatus.DONE,
        rows=rows,
        file=job.file.name,
        schema_file=job.schema_file.name,
        finished_at=timezone.now(),
    )
    audit_record(actor=None, action="exchange.export_done", target=job, after={"rows": rows})
    return True


def export_job_downloaded(*, job: ExportJob, actor: Any = None, part: str = "file") -> None:
    """Audit that the requester downloaded an export (the data file or its schema)."""
    audit_record(
        actor=actor,
        action="exchange.export_downloaded",
        target=job,
        after={"part": part, "client": str(job.client.code) if job.client_id else None},
    )

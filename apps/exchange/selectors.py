"""Reads for the data exchange: token look-up, address checks, datasets and export jobs."""

import hashlib
import hmac
import ipaddress
from typing import Any

from django.conf import settings
from django.db.models import F, Prefetch, QuerySet
from django.db.models.functions import Greatest
from django.http import Http404, HttpRequest

from apps.credit.models import CreditRecord, RecordStatus
from apps.employment.models import Employment, EmploymentChange, EmploymentSchool, ExchangeVisit
from apps.schools.models import School

from .models import ApiClient, ExportJob
from .scopes import Dataset

TOKEN_PREFIX = "hzx"  # noqa: S105 (a public marker, not a secret)
# Restrictions and commendations in force or ended: proposals and withdrawn ones never took
# effect, so partners never see them (and an exposed record never leaves this set).
EXPOSED_CREDIT_STATUSES = (
    RecordStatus.ACTIVE,
    RecordStatus.EXPIRED,
    RecordStatus.REPAIRED,
    RecordStatus.REVOKED,
)


def token_hash(token: str) -> str:
    """Return the stored form of a token (its SHA-256; tokens are long random secrets)."""
    return hashlib.sha256(token.encode()).hexdigest()


def api_client_for_token(*, token: str) -> ApiClient | None:
    """Return the client a bearer token belongs to (revoked and expired ones too), or None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1]:
        return None
    client = ApiClient.objects.filter(token_prefix=parts[1]).first()
    if client is None or not hmac.compare_digest(client.token_hash, token_hash(token)):
        return None
    return client


def allowed_networks(text: str) -> list:
    """Parse an allow-list (one address or CIDR per line); raise ValueError on a bad line."""
    networks = []
    for line in text.splitlines():
        entry = line.strip()
        if entry:
            networks.append(ipaddress.ip_network(entry, strict=False))
    return networks


def client_address_allowed(*, client: ApiClient, address: str | None) -> bool:
    """Access rule: an empty allow-list admits every address, else the address must match."""
    networks = allowed_networks(client.ip_allowlist)
    if not networks:
        return True
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip.version == network.version and ip in network for network in networks)


def request_address(request: HttpRequest) -> str | None:
    """Return the caller's address, trusting EXCHANGE_TRUSTED_PROXY_COUNT proxies in front."""
    proxies = settings.EXCHANGE_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


# --- Datasets -----------------------------------------------------------------------------
# Every dataset is annotated with `sync_at`, the (indexed where possible) timestamp partners
# sync on; rows are read in (sync_at, id) order.


def employments_for_exchange() -> QuerySet[Employment]:
    """Return every employment with its schools and changes, keyed for sync.

    The row embeds the teacher's identity, so a corrected passport or name moves it too.
    """
    return (
        Employment.objects.annotate(sync_at=Greatest(F("updated_at"), F("teacher__updated_at")))
        .select_related("teacher", "school", "school__district", "cluster")
        .prefetch_related(
            Prefetch(
                "schools",
                queryset=EmploymentSchool.objects.select_related("school", "school__district"),
            ),
            Prefetch("changes", queryset=EmploymentChange.objects.select_related("transfer_to")),
        )
    )


def schools_for_exchange() -> QuerySet[School]:
    """Return every school, keyed for sync."""
    return School.objects.annotate(sync_at=F("updated_at")).select_related(
        "district", "school_type"
    )


def visits_for_exchange() -> QuerySet[ExchangeVisit]:
    """Return every exchange visit, keyed for sync."""
    return (
        ExchangeVisit.objects.annotate(sync_at=F("updated_at"))
        .select_related("school", "school__district", "partner_school")
        .prefetch_related("subjects")
    )


def credit_records_for_exchange() -> QuerySet[CreditRecord]:
    """Return the credit records that took effect (in force or ended), keyed for sync."""
    return (
        CreditRecord.objects.filter(status__in=EXPOSED_CREDIT_STATUSES)
        .annotate(sync_at=F("updated_at"))
        .select_related("teacher", "school")
    )


DATASET_QUERYSETS = {
    Dataset.EMPLOYMENTS: employments_for_exchange,
    Dataset.SCHOOLS: schools_for_exchange,
    Dataset.VISITS: visits_for_exchange,
    Dataset.CREDIT: credit_records_for_exchange,
}


def dataset_queryset(dataset: str) -> QuerySet:
    """Return the sync-keyed queryset of a dataset."""
    return DATASET_QUERYSETS[dataset]()


# --- Export jobs --------------------------------------------------------------------------


def export_jobs_for_user(*, user: Any) -> QuerySet[ExportJob]:
    """Return the export jobs the center user requested, newest first."""
    return ExportJob.objects.filter(requested_by=user).order_by("-created_at", "-id")


def export_job_for_user(*, user: Any, code: Any) -> ExportJob:
    """Return one of the user's own export jobs; 404 for anyone else's."""
    job = ExportJob.objects.filter(requested_by=user, code=code).first()
    if job is None:
        raise Http404
    return job


def export_job_for_client(*, client: ApiClient, code: Any) -> ExportJob | None:
    """Return one of the client's own export jobs, or None."""
    return ExportJob.objects.filter(client=client, code=code).first()
